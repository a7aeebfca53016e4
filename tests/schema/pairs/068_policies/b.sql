-- policies: USING changed, WITH CHECK added, permissive/restrictive, per-command, TO PUBLIC / CURRENT_USER, one dropped
CREATE TABLE public.notes (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user, body text, public boolean DEFAULT false);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_owner ON public.notes USING (owner = current_user OR public) WITH CHECK (owner = current_user);
CREATE POLICY notes_read ON public.notes AS PERMISSIVE FOR SELECT TO PUBLIC USING (public);
CREATE POLICY notes_no_empty ON public.notes AS RESTRICTIVE FOR INSERT TO CURRENT_USER WITH CHECK (body IS NOT NULL);
CREATE POLICY notes_upd ON public.notes FOR UPDATE USING (owner = current_user) WITH CHECK (length(body) < 10000);
CREATE POLICY notes_del ON public.notes AS RESTRICTIVE FOR DELETE USING (NOT public);
