-- generated columns: expression changed (recreated in place) and a new stored generated column at the end
CREATE TABLE public.rects (id int PRIMARY KEY, w numeric NOT NULL, h numeric NOT NULL, area numeric GENERATED ALWAYS AS (w * h * 1.0) STORED, perimeter numeric GENERATED ALWAYS AS (2 * (w + h)) STORED);
