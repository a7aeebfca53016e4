CREATE TABLE public.clients (id int PRIMARY KEY, name text NOT NULL);
CREATE INDEX clients_name_idx ON public.clients (name);
