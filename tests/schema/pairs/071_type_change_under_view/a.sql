CREATE TABLE public.orders (id int PRIMARY KEY, amount int, note varchar(20));
CREATE VIEW public.v_orders AS SELECT id, amount, note FROM public.orders;
CREATE VIEW public.v_totals AS SELECT sum(amount) AS total FROM public.v_orders;
COMMENT ON VIEW public.v_orders IS 'kept across the rebuild';
