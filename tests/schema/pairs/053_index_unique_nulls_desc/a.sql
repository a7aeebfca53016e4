CREATE TABLE public.ranks (id int PRIMARY KEY, board int, score int, at timestamptz, code text);
CREATE INDEX ranks_score_idx ON public.ranks (board, score);
