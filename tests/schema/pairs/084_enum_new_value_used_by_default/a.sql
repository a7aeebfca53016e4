CREATE TYPE public.priority AS ENUM ('low', 'high');
CREATE TABLE public.tickets (id int PRIMARY KEY, prio public.priority NOT NULL DEFAULT 'low');
