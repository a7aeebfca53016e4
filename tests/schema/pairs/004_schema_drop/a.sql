CREATE SCHEMA legacy;
CREATE TABLE legacy.old_stuff (id int PRIMARY KEY, note text);
CREATE SEQUENCE legacy.counter;
CREATE SCHEMA keep;
CREATE TABLE keep.t (id int);
