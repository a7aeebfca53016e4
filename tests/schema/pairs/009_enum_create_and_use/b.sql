-- enum: a new enum type and an array of it, used by columns added at the end
CREATE TYPE public.order_kind AS ENUM ('retail', 'wholesale');
CREATE TABLE public.orders (id int PRIMARY KEY, note text, kind public.order_kind, kinds public.order_kind[] DEFAULT '{}');
