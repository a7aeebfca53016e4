-- comments: changed, dropped (set to NULL) and added; a comment on an empty string means no comment
CREATE TABLE public.t (id int PRIMARY KEY, a text, b text);
CREATE VIEW public.v AS SELECT id FROM public.t;
COMMENT ON TABLE public.t IS 'new table comment';
COMMENT ON COLUMN public.t.a IS 'new a';
COMMENT ON COLUMN public.t.id IS 'id added';
COMMENT ON COLUMN public.t.b IS '';
