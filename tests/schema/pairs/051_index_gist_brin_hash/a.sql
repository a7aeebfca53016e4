CREATE TABLE public.geo (id int PRIMARY KEY, box box, during tsrange, seen timestamptz, code text, p point);
CREATE INDEX geo_code_idx ON public.geo (code);
