-- The admin API: idempotent POSTs, and the indexes its filters use. (Customers are put up for
-- review when their book changes by the triggers in 0005_scheduler.sql.)

-- The first response to a POST with an Idempotency-Key, replayed for retries of the same
-- request. Operator requests (no tenant) are kept under tenant_id 0, which is why there is no
-- foreign key to tenants; the application role only ever sees its own tenant's rows.
CREATE TABLE idempotency_keys (
    tenant_id     bigint NOT NULL,
    key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    -- SHA-256 of method, path and body: the same key with another request is refused.
    request_hash  bytea NOT NULL CHECK (length(request_hash) = 32),
    -- NULL while the first request is still being answered.
    status        integer,
    content_type  text,
    body          bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys
    USING (tenant_id = arrears_current_tenant()) WITH CHECK (tenant_id = arrears_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO arrears_app;

-- The tenant API lists by (tenant_id, id); these serve its filters.
CREATE INDEX invoices_by_customer ON invoices (tenant_id, customer_id, id);
CREATE INDEX contacts_by_customer ON contacts (tenant_id, customer_id, id);
CREATE INDEX promises_by_customer_id ON promises (tenant_id, customer_id, id);
CREATE INDEX disputes_by_customer_id ON disputes (tenant_id, customer_id, id);
