CREATE SEQUENCE public.invoice_no;
CREATE TABLE public.invoices (id int PRIMARY KEY, no bigint);
