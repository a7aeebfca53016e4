CREATE TABLE public.owners (id int PRIMARY KEY);
CREATE TABLE public.pets (id int PRIMARY KEY, name text, owner_id int CONSTRAINT pets_owner_fkey REFERENCES public.owners (id), CONSTRAINT pets_owner_name_key UNIQUE (owner_id, name));
CREATE INDEX pets_owner_idx ON public.pets (owner_id) WHERE owner_id IS NOT NULL;
