-- constraints: unique constraints added (single, multi-column, deferrable, with INCLUDE) and one dropped
CREATE TABLE public.users (
    id int PRIMARY KEY, email text, handle text, tenant int,
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_tenant_email_key UNIQUE (tenant, email) INCLUDE (handle),
    CONSTRAINT users_id_deferred UNIQUE (id) DEFERRABLE INITIALLY DEFERRED
);
