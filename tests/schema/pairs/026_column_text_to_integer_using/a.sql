CREATE TABLE public.readings (id int PRIMARY KEY, value text, flag text, doc text);
