CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a_column_name_that_goes_on_and_on_well_past_the_sixty_three_byte_limit text, created_at timestamptz, updated_at timestamptz);
