-- constraints: primary keys added (default name and explicit name, composite)
CREATE TABLE public.a (id int NOT NULL PRIMARY KEY, v text);
CREATE TABLE public.b (x int NOT NULL, y int NOT NULL, CONSTRAINT b_xy_pk PRIMARY KEY (x, y));
