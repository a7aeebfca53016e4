CREATE TABLE public.sales (id int PRIMARY KEY, region text, amount numeric);
CREATE MATERIALIZED VIEW public.totals AS SELECT region, sum(amount) AS total FROM public.sales GROUP BY region;
CREATE UNIQUE INDEX totals_region_key ON public.totals (region);
CREATE VIEW public.top_regions AS SELECT region FROM public.totals ORDER BY total DESC LIMIT 3;
