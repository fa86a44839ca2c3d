-- The check 0008 added, validated in a transaction of its own: the scan holds a SHARE UPDATE
-- EXCLUSIVE lock, so reads and writes of contacts go on meanwhile.
ALTER TABLE contacts VALIDATE CONSTRAINT contacts_status_check;
