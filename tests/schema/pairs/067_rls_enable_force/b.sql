-- row level security: ENABLE and FORCE turned on for one table, off for another
CREATE TABLE public.notes (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user, body text);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.notes FORCE ROW LEVEL SECURITY;
CREATE TABLE public.shared (id int PRIMARY KEY);
