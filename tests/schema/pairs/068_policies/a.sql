CREATE TABLE public.notes (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user, body text, public boolean DEFAULT false);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_owner ON public.notes USING (owner = current_user);
CREATE POLICY notes_legacy ON public.notes FOR SELECT USING (true);
