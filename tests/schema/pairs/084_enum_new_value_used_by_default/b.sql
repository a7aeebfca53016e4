-- enum: a value added in the middle and used at once by a column default, a check and a partial index (new value must be committed before use)
CREATE TYPE public.priority AS ENUM ('low', 'medium', 'high');
CREATE TABLE public.tickets (id int PRIMARY KEY, prio public.priority NOT NULL DEFAULT 'medium',
    CONSTRAINT tickets_prio_check CHECK (prio <> 'medium' OR id > 0));
CREATE INDEX tickets_medium_idx ON public.tickets (id) WHERE prio = 'medium';
