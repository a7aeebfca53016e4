CREATE TABLE public.words (id int PRIMARY KEY, w text, v varchar(30) COLLATE "C", u text COLLATE "POSIX");
CREATE INDEX words_w_idx ON public.words (w);
