CREATE TABLE public.secrets (id int PRIMARY KEY, owner name, data text);
CREATE VIEW public.my_secrets AS SELECT id, data FROM public.secrets WHERE owner = current_user;
CREATE VIEW public.all_ids AS SELECT id FROM public.secrets WITH LOCAL CHECK OPTION;
