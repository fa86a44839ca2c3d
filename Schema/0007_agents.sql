-- What the agents need beyond the book: owner notifications recorded before they go out, and
-- keys that make each agent's writes idempotent, so a task retried after a crash finds what its
-- earlier attempt did instead of doing it again.

-- Notices to people inside the tenant (the account owner), by mail or webhook. Like outbound
-- messages, each is written before it is sent, under a key derived from the task: a retry that
-- finds `sending` does not know whether the first attempt got through, and does not send again.
CREATE TABLE notifications (
    tenant_id    bigint NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    customer_id  bigint,
    channel      text NOT NULL CHECK (channel IN ('mail', 'webhook')),
    -- The owner's address, or the webhook URL.
    recipient    text NOT NULL,
    -- The Message-ID of a mail, the Arrears-Delivery id of a webhook.
    delivery_key text NOT NULL,
    event        text NOT NULL,
    status       text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unconfirmed')),
    body         bytea NOT NULL,
    error        text,
    task_id      bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, channel, delivery_key),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX notifications_by_customer ON notifications (tenant_id, customer_id, id DESC);

ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notifications
    USING (tenant_id = arrears_current_tenant()) WITH CHECK (tenant_id = arrears_current_tenant());
GRANT SELECT, INSERT, UPDATE ON notifications TO arrears_app;

-- One promise and one dispute per reply they were read from, one escalation per task.
CREATE UNIQUE INDEX promises_source_message ON promises (tenant_id, source_message_id)
    WHERE source_message_id IS NOT NULL;
CREATE UNIQUE INDEX disputes_source_message ON disputes (tenant_id, source_message_id)
    WHERE source_message_id IS NOT NULL;
CREATE UNIQUE INDEX escalations_task ON escalations (tenant_id, task_id) WHERE task_id IS NOT NULL;

-- What a promise covered when it was made, so verification measures what was paid since by the
-- balances themselves, whatever clock the payments' dates follow: the invoices (those named, or
-- every open undisputed one) and, in the promise's currency, their open total.
ALTER TABLE promises ADD COLUMN covered_invoice_ids bigint[];
ALTER TABLE promises ADD COLUMN covered_open_amount bigint;
