CREATE TABLE public.prices (id int PRIMARY KEY, amount numeric, currency text, CONSTRAINT prices_currency_check CHECK (currency IN ('EUR', 'USD')));
