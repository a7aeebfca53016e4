-- indexes: DESC / NULLS FIRST / NULLS LAST orderings, unique, unique NULLS NOT DISTINCT, collation on an index column
CREATE TABLE public.ranks (id int PRIMARY KEY, board int, score int, at timestamptz, code text);
CREATE INDEX ranks_score_idx ON public.ranks (board, score DESC NULLS LAST);
CREATE INDEX ranks_at_idx ON public.ranks (at NULLS FIRST);
CREATE INDEX ranks_at_desc_idx ON public.ranks (at DESC NULLS LAST, id ASC NULLS FIRST);
CREATE UNIQUE INDEX ranks_board_code_key ON public.ranks (board, code);
CREATE UNIQUE INDEX ranks_code_nnd_key ON public.ranks (code) NULLS NOT DISTINCT;
CREATE INDEX ranks_code_c_idx ON public.ranks (code COLLATE "C");
