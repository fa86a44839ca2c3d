-- Contacts the agents propose wait for a person: `proposed` until approved (then `unverified`, as
-- an applied one) or `rejected` (kept, so the address is not proposed again). Nobody writes to
-- either. Every existing row passed the narrower check, so the wider one is added NOT VALID: the
-- table is locked only for the swap, not for a scan; 0009 validates it under a weaker lock.
ALTER TABLE contacts DROP CONSTRAINT contacts_status_check;
ALTER TABLE contacts ADD CONSTRAINT contacts_status_check
    CHECK (status IN ('unverified', 'valid', 'bounced', 'opted_out', 'proposed', 'rejected')) NOT VALID;
