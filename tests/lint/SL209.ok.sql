ALTER TABLE accounts ADD COLUMN remark text;
