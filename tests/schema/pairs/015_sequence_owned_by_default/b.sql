-- sequences: OWNED BY set and a column default nextval() on it
CREATE SEQUENCE public.invoice_no;
CREATE TABLE public.invoices (id int PRIMARY KEY, no bigint DEFAULT nextval('public.invoice_no'));
ALTER SEQUENCE public.invoice_no OWNED BY public.invoices.no;
