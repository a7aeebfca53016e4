-- tables: tables dropped (with an FK between them) and new ones created, one referencing a kept table
CREATE TABLE public.stays (id int PRIMARY KEY);
CREATE TABLE public.new_a (id int PRIMARY KEY, stays_id int NOT NULL REFERENCES public.stays (id) ON DELETE CASCADE, v text DEFAULT 'x');
CREATE TABLE public.new_b (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a int REFERENCES public.new_a (id));
