-- What collecting produces: policies, messages and their threads, promises to pay, disputes,
-- escalations, a suppression list, per-tenant sending settings, and the audit log that says
-- who decided what and why.

-- The tenant's dunning policy (see Sources/Dunning), validated by the API before it lands.
CREATE TABLE policies (
    tenant_id  bigint PRIMARY KEY REFERENCES tenants (id),
    document   jsonb NOT NULL,
    version    integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- How a tenant's mail and notifications go out. Secrets are sealed with the operator's key
-- (ARREARS_SECRET_KEY) and never returned by the API.
CREATE TABLE tenant_settings (
    tenant_id               bigint PRIMARY KEY REFERENCES tenants (id),
    sender_email            text,
    sender_name             text,
    reply_to_email          text,
    smtp_url                text,
    smtp_security           text NOT NULL DEFAULT 'starttls' CHECK (smtp_security IN ('none', 'starttls', 'tls')),
    smtp_username           text,
    smtp_password_sealed    bytea,
    webhook_url             text,
    webhook_secret_sealed   bytea,
    crm_lookup_url          text,
    inbound_secret_sealed   bytea,
    updated_at              timestamptz NOT NULL DEFAULT now()
);

-- Mail in both directions. Outbound rows are written before the send with a deterministic
-- Message-ID, so a retried task finds its earlier attempt instead of mailing twice.
CREATE TABLE messages (
    tenant_id       bigint NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    customer_id     bigint,
    contact_id      bigint,
    direction       text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    message_id      text NOT NULL,
    in_reply_to     text,
    "references"    text[] NOT NULL DEFAULT '{}',
    from_address    text NOT NULL,
    to_addresses    text[] NOT NULL DEFAULT '{}',
    cc_addresses    text[] NOT NULL DEFAULT '{}',
    subject         text NOT NULL DEFAULT '',
    body_text       text NOT NULL DEFAULT '',
    body_html       text,
    raw             bytea,
    -- outbound: pending → sending → sent | failed | unconfirmed; bounced later.
    -- inbound: received → triaged.
    status          text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unconfirmed',
                                                    'bounced', 'received', 'triaged')),
    stage           text,
    tone            text,
    invoice_ids     bigint[] NOT NULL DEFAULT '{}',
    classification  text,
    triage          jsonb,
    task_id         bigint,
    error           text,
    sent_at         timestamptz,
    received_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, message_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE SET NULL (contact_id)
);
-- A customer's thread, newest first.
CREATE INDEX messages_thread ON messages (tenant_id, customer_id, created_at DESC);

CREATE TABLE promises (
    tenant_id         bigint NOT NULL,
    id                bigint GENERATED ALWAYS AS IDENTITY,
    customer_id       bigint NOT NULL,
    promised_on       date NOT NULL,
    amount            bigint CHECK (amount > 0),
    currency          text CHECK (currency ~ '^[A-Z]{3}$'),
    -- Empty: the promise covers every open invoice.
    invoice_ids       bigint[] NOT NULL DEFAULT '{}',
    status            text NOT NULL DEFAULT 'active'
                      CHECK (status IN ('draft', 'active', 'kept', 'broken', 'cancelled')),
    source_message_id bigint,
    note              text NOT NULL DEFAULT '',
    resolved_at       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
    CHECK ((amount IS NULL) = (currency IS NULL))
);
CREATE INDEX promises_by_customer ON promises (tenant_id, customer_id, promised_on);
-- Promises falling due, for verification.
CREATE INDEX promises_active_due ON promises (promised_on) WHERE status = 'active';

CREATE TABLE disputes (
    tenant_id         bigint NOT NULL,
    id                bigint GENERATED ALWAYS AS IDENTITY,
    customer_id       bigint NOT NULL,
    invoice_ids       bigint[] NOT NULL DEFAULT '{}',
    reason            text NOT NULL DEFAULT '',
    status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'rejected')),
    assignee          text,
    resolution        text,
    source_message_id bigint,
    resolved_at       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX disputes_by_customer ON disputes (tenant_id, customer_id) WHERE status = 'open';

CREATE TABLE escalations (
    tenant_id      bigint NOT NULL,
    id             bigint GENERATED ALWAYS AS IDENTITY,
    customer_id    bigint NOT NULL,
    from_level     integer NOT NULL,
    level          integer NOT NULL,
    reasons        text[] NOT NULL DEFAULT '{}',
    owner_email    text,
    owner_notified_via text CHECK (owner_notified_via IN ('mail', 'webhook')),
    owner_notified_at  timestamptz,
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'handled', 'closed')),
    task_id        bigint,
    created_at     timestamptz NOT NULL DEFAULT now(),
    resolved_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX escalations_by_customer ON escalations (tenant_id, customer_id, created_at DESC);

-- Addresses no agent may ever write to again (hard bounces, opt-outs, complaints).
CREATE TABLE suppressions (
    tenant_id  bigint NOT NULL REFERENCES tenants (id),
    email      text NOT NULL CHECK (email = lower(email)),
    reason     text NOT NULL CHECK (reason IN ('hard_bounce', 'opt_out', 'complaint', 'manual')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, email)
);

-- Every decision and action, with its reasons in plain words.
CREATE TABLE audit_events (
    tenant_id   bigint NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    customer_id bigint,
    actor       text NOT NULL,
    action      text NOT NULL,
    reasons     text[] NOT NULL DEFAULT '{}',
    details     jsonb NOT NULL DEFAULT '{}',
    task_id     bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_events_recent ON audit_events (tenant_id, id DESC);
CREATE INDEX audit_events_by_customer ON audit_events (tenant_id, customer_id, id DESC);

DO $$
DECLARE
    tenant_table text;
BEGIN
    FOREACH tenant_table IN ARRAY ARRAY['policies', 'tenant_settings', 'messages', 'promises', 'disputes',
                                         'escalations', 'suppressions', 'audit_events']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = arrears_current_tenant())'
                       ' WITH CHECK (tenant_id = arrears_current_tenant())', tenant_table);
    END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON policies, tenant_settings, messages, promises, disputes,
    escalations, suppressions TO arrears_app;
-- The audit log is append-only for the application.
GRANT SELECT, INSERT ON audit_events TO arrears_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO arrears_app;
