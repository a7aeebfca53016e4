-- views: a column added at the end of a view's select list and its WHERE changed (CREATE OR REPLACE VIEW)
CREATE TABLE public.users (id int PRIMARY KEY, name text, email text, active boolean);
CREATE VIEW public.active_users AS SELECT id, name, email FROM public.users WHERE active IS TRUE;
