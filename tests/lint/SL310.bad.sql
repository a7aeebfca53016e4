CREATE TABLE tags (id serial PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
