-- indexes: gist (geometric, range), brin with pages_per_range, hash; a btree replaced by a hash index of the same name
CREATE TABLE public.geo (id int PRIMARY KEY, box box, during tsrange, seen timestamptz, code text, p point);
CREATE INDEX geo_code_idx ON public.geo USING hash (code);
CREATE INDEX geo_box_idx ON public.geo USING gist (box);
CREATE INDEX geo_during_idx ON public.geo USING gist (during);
CREATE INDEX geo_seen_brin ON public.geo USING brin (seen) WITH (pages_per_range = 32);
CREATE INDEX geo_p_spgist ON public.geo USING spgist (p);
