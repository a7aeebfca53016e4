-- domains: a check constraint changed, one added, one new domain with two checks
CREATE DOMAIN public.email AS text CONSTRAINT email_has_at CHECK (VALUE LIKE '_%@_%');
CREATE DOMAIN public.percent AS int CONSTRAINT percent_range CHECK (VALUE BETWEEN 0 AND 100);
CREATE DOMAIN public.code AS varchar(8) CONSTRAINT code_upper CHECK (VALUE = upper(VALUE)) CONSTRAINT code_len CHECK (length(VALUE) >= 2);
CREATE TABLE public.contacts (id int PRIMARY KEY, email public.email, score public.percent);
