CREATE TYPE public.status AS ENUM ('draft', 'published', 'archived');
CREATE TABLE public.posts (id int PRIMARY KEY, status public.status NOT NULL DEFAULT 'draft');
CREATE INDEX posts_status_idx ON public.posts (status);
