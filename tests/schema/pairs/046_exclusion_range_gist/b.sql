-- constraints: exclusion constraint changed to a partial one (WHERE) and made DEFERRABLE
CREATE TABLE public.shifts (id int PRIMARY KEY, span int4range NOT NULL, active boolean NOT NULL DEFAULT true,
    CONSTRAINT shifts_no_overlap EXCLUDE USING gist (span WITH &&) WHERE (active) DEFERRABLE);
