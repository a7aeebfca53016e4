-- indexes: expression index, INCLUDE columns, partial WHERE, and all three combined
CREATE TABLE public.users (id int PRIMARY KEY, email text, name text, deleted_at timestamptz, score int);
CREATE INDEX users_lower_email_idx ON public.users (lower(email));
CREATE INDEX users_name_incl_idx ON public.users (name) INCLUDE (email, score);
CREATE INDEX users_live_idx ON public.users (id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_live_email_key ON public.users (lower(email), (coalesce(name, ''))) INCLUDE (score) WHERE (deleted_at IS NULL AND score > 0);
