CREATE TABLE events (name text, created_at timestamptz, updated_at timestamptz);
