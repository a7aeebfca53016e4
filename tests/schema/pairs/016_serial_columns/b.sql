-- sequences: serial and bigserial columns added (owned sequences with nextval defaults), new table with smallserial
CREATE TABLE public.events (name text, id serial, big_id bigserial);
CREATE TABLE public.tags (id smallserial PRIMARY KEY, name text);
