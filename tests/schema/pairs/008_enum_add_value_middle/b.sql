-- enum: values added in the middle and at the start (ADD VALUE BEFORE/AFTER); down must rebuild the type
CREATE TYPE public.status AS ENUM ('new', 'draft', 'review', 'published', 'archived');
CREATE TABLE public.posts (id int PRIMARY KEY, status public.status NOT NULL DEFAULT 'draft');
CREATE INDEX posts_status_idx ON public.posts (status);
