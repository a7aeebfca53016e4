ALTER TABLE accounts ADD CONSTRAINT fk_org FOREIGN KEY (org_id) REFERENCES orgs (id);
