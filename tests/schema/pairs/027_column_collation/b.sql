-- columns: collation set, changed and reset to the default, one under an index
CREATE TABLE public.words (id int PRIMARY KEY, w text COLLATE "und-x-icu", v varchar(30) COLLATE "POSIX", u text);
CREATE INDEX words_w_idx ON public.words (w);
