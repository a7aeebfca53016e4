CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author text, created_at timestamptz, updated_at timestamptz);
CREATE INDEX notes_by_author ON notes (author);
