-- identity: DROP IDENTITY (column stays NOT NULL, the primary key stays)
CREATE TABLE public.a (id int NOT NULL PRIMARY KEY, v text);
CREATE TABLE public.b (id bigint NOT NULL, v text);
