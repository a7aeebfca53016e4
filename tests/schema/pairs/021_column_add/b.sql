-- columns: several columns added at the end, with defaults, NOT NULL with default, arrays, numeric precision, time zone types
CREATE TABLE public.products (
    id int PRIMARY KEY,
    name text NOT NULL,
    price numeric(10,2) NOT NULL DEFAULT 0,
    tags text[] NOT NULL DEFAULT '{}'::text[],
    active boolean DEFAULT true,
    added_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP,
    weight double precision,
    dims int[][],
    sku char(12),
    bits bit varying(16),
    ip inet,
    span interval hour to minute
);
