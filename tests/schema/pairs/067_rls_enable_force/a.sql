CREATE TABLE public.notes (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user, body text);
CREATE TABLE public.shared (id int PRIMARY KEY);
ALTER TABLE public.shared ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.shared FORCE ROW LEVEL SECURITY;
