CREATE TABLE public.slots (id int PRIMARY KEY, room int, day date, CONSTRAINT slots_room_day_key UNIQUE (room, day));
