-- sequences: increment, start, min/max, cache, cycle and data type changed; a new sequence
CREATE SEQUENCE public.ticket_seq AS bigint INCREMENT BY 10 MINVALUE 100 MAXVALUE 1000000 START WITH 100 CACHE 20;
CREATE SEQUENCE public.small_seq AS integer INCREMENT BY 2 MINVALUE 1 MAXVALUE 5000 NO CYCLE;
CREATE SEQUENCE public.down_seq INCREMENT BY -1;
