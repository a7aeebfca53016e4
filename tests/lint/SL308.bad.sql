CREATE TABLE docs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body jsonb, created_at timestamptz, updated_at timestamptz);
