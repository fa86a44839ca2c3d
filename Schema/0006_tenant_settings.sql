-- Tenant settings used in reminders, and how inbound mail found its customer.

-- The closing lines of every reminder and where to pay, both written by the tenant.
ALTER TABLE tenant_settings
    ADD COLUMN signature            text CHECK (length(signature) <= 5000),
    ADD COLUMN payment_instructions text CHECK (length(payment_instructions) <= 5000);

-- How the inbound webhook threaded a message to its customer, so a re-delivered message is
-- answered as the first delivery was: in_reply_to, references, bounce (the returned original
-- or its Final-Recipient) or sender (the From address is a contact's). NULL: unmatched, or
-- outbound. An inbound row's task_id is its reply_triage task.
ALTER TABLE messages
    ADD COLUMN matched_by text CHECK (matched_by IN ('in_reply_to', 'references', 'bounce', 'sender'));
