CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author text, created_at timestamptz, updated_at timestamptz);
CREATE INDEX idx_notes_author ON notes (author);
