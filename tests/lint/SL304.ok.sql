CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a_short_name text, created_at timestamptz, updated_at timestamptz);
