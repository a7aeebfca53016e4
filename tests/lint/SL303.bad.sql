CREATE TABLE "UserEvents" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
