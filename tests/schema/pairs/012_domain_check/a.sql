CREATE DOMAIN public.email AS text CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
CREATE DOMAIN public.percent AS int;
CREATE TABLE public.contacts (id int PRIMARY KEY, email public.email, score public.percent);
