CREATE TABLE public.t (id int PRIMARY KEY, a text, b text);
CREATE VIEW public.v AS SELECT id FROM public.t;
COMMENT ON TABLE public.t IS 'old table comment';
COMMENT ON COLUMN public.t.a IS 'old a';
COMMENT ON COLUMN public.t.b IS 'b goes away';
COMMENT ON VIEW public.v IS 'view comment';
