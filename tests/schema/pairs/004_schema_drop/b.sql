-- schemas: a schema and all it holds dropped, another kept
CREATE SCHEMA keep;
CREATE TABLE keep.t (id int);
