-- constraints: primary key columns changed (same name) and a primary key dropped
CREATE TABLE public.orders (id int NOT NULL, region int NOT NULL, CONSTRAINT orders_pkey PRIMARY KEY (region, id));
CREATE TABLE public.lines (order_id int NOT NULL, line int NOT NULL);
