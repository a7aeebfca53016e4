CREATE TABLE public.orders (id int NOT NULL, region int NOT NULL, CONSTRAINT orders_pkey PRIMARY KEY (id));
CREATE TABLE public.lines (order_id int NOT NULL, line int NOT NULL, CONSTRAINT lines_pkey PRIMARY KEY (order_id, line));
