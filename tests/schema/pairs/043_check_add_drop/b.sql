-- constraints: check constraints added (column and table level, NO INHERIT) and one dropped
CREATE TABLE public.prices (id int PRIMARY KEY, amount numeric CHECK (amount >= 0), currency text,
    CONSTRAINT prices_sane CHECK (amount < 1000000 OR currency = 'USD'),
    CONSTRAINT prices_local CHECK (id > 0) NO INHERIT);
