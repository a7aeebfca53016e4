-- materialized views: created WITH NO DATA and WITH DATA, with a unique index and an expression index of their own
CREATE TABLE public.sales (id int PRIMARY KEY, region text, amount numeric, sold_on date);
CREATE MATERIALIZED VIEW public.sales_by_region AS SELECT region, sum(amount) AS total, count(*) AS n FROM public.sales GROUP BY region WITH DATA;
CREATE UNIQUE INDEX sales_by_region_region_key ON public.sales_by_region (region);
CREATE INDEX sales_by_region_lower_idx ON public.sales_by_region (lower(region)) WHERE total > 0;
CREATE MATERIALIZED VIEW public.sales_daily AS SELECT sold_on, sum(amount) AS total FROM public.sales GROUP BY sold_on WITH NO DATA;
