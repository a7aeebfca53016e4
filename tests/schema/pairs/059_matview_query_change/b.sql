-- materialized views: query changed, so it is re-created with its index and the view reading it; an index added
CREATE TABLE public.sales (id int PRIMARY KEY, region text, amount numeric);
CREATE MATERIALIZED VIEW public.totals AS SELECT region, sum(amount) AS total, max(amount) AS biggest FROM public.sales GROUP BY region;
CREATE UNIQUE INDEX totals_region_key ON public.totals (region);
CREATE INDEX totals_total_idx ON public.totals (total DESC);
CREATE VIEW public.top_regions AS SELECT region FROM public.totals ORDER BY total DESC LIMIT 3;
