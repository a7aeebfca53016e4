-- views: incompatible view changes (column removed, column renamed, column type changed): drop and create
CREATE TABLE public.users (id int PRIMARY KEY, name text, email text, age int);
CREATE VIEW public.v_users AS SELECT id, email FROM public.users;
CREATE VIEW public.v_ages AS SELECT id AS user_id, age::numeric AS age FROM public.users;
