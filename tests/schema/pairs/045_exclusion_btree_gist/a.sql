CREATE TABLE public.bookings (id int PRIMARY KEY, room int NOT NULL, during tstzrange NOT NULL);
