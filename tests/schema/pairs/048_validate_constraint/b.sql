-- constraints: NOT VALID check and foreign key become validated (VALIDATE CONSTRAINT)
CREATE TABLE public.customers (id int PRIMARY KEY);
CREATE TABLE public.orders (id int PRIMARY KEY, customer_id int, total numeric,
    CONSTRAINT orders_total_check CHECK (total >= 0),
    CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id));
