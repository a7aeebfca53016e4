-- constraints: btree_gist extension and an exclusion constraint mixing = and && on a range
CREATE EXTENSION btree_gist;
CREATE TABLE public.bookings (id int PRIMARY KEY, room int NOT NULL, during tstzrange NOT NULL,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&));
