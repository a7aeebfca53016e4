CREATE TABLE public.parents (id int PRIMARY KEY, n smallint);
CREATE TABLE public.children (id int PRIMARY KEY, parent_id int REFERENCES public.parents (id), r real);
CREATE INDEX children_parent_id_idx ON public.children (parent_id);
