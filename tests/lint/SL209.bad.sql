ALTER TABLE accounts RENAME COLUMN note TO remark;
