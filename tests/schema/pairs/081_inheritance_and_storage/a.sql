CREATE TABLE public.base (id int, created timestamptz DEFAULT now());
CREATE TABLE public.docs (body text) INHERITS (public.base);
CREATE TABLE public.big (id int PRIMARY KEY, payload text);
