CREATE SCHEMA app;
CREATE TYPE app.state AS ENUM ('new', 'done');
CREATE TABLE app.jobs (
    id serial PRIMARY KEY,
    state app.state NOT NULL DEFAULT 'new',
    payload jsonb
);
CREATE INDEX jobs_state_idx ON app.jobs (state);
CREATE VIEW app.open_jobs AS SELECT id, payload FROM app.jobs WHERE state = 'new';
COMMENT ON TABLE app.jobs IS 'work queue';
