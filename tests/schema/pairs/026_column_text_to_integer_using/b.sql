-- columns: incompatible type changes needing USING: text->integer, text->boolean, text->jsonb
CREATE TABLE public.readings (id int PRIMARY KEY, value integer, flag boolean, doc jsonb);
