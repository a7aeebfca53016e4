-- constraints: UNIQUE changed to UNIQUE NULLS NOT DISTINCT (same name)
CREATE TABLE public.slots (id int PRIMARY KEY, room int, day date, CONSTRAINT slots_room_day_key UNIQUE NULLS NOT DISTINCT (room, day));
