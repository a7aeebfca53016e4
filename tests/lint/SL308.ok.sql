CREATE TABLE docs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body jsonb, created_at timestamptz, updated_at timestamptz);
CREATE INDEX idx_docs_body ON docs USING gin (body);
