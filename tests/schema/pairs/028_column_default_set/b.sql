-- columns: defaults set (constants, expressions, functions, casts)
CREATE TABLE public.settings (
    id int PRIMARY KEY,
    enabled boolean DEFAULT false,
    level int DEFAULT (1 + 2),
    name text DEFAULT 'it''s default',
    created date DEFAULT CURRENT_DATE,
    uid uuid DEFAULT '00000000-0000-0000-0000-000000000000'::uuid
);
