-- views: security_barrier and security_invoker set, check option changed LOCAL -> CASCADED, a new recursive view
CREATE TABLE public.secrets (id int PRIMARY KEY, owner name, data text);
CREATE VIEW public.my_secrets WITH (security_barrier = true, security_invoker = true) AS SELECT id, data FROM public.secrets WHERE owner = current_user;
CREATE VIEW public.all_ids AS SELECT id FROM public.secrets WITH CASCADED CHECK OPTION;
CREATE RECURSIVE VIEW public.nums (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM nums WHERE n < 10;
