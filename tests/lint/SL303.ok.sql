CREATE TABLE user_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
