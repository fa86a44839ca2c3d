-- Arrears: tenants and the book they collect on, plus the task queue.
--
-- Every tenant table leads its primary key with tenant_id, so the schema can later be
-- distributed by tenant (Citus) without a rewrite. Row-level security is on for every tenant
-- table; the application works as the role arrears_app, which is not the owner and cannot
-- bypass it, inside transactions that set app.tenant_id. Money is bigint minor units with an
-- ISO 4217 currency code.

-- Roles are shared by every database of a cluster, so another database may have made it.
DO $$
BEGIN
    CREATE ROLE arrears_app NOLOGIN NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

-- The owner (who runs migrations and connects) switches to arrears_app per transaction.
DO $$
BEGIN
    EXECUTE format('GRANT arrears_app TO %I', current_user);
EXCEPTION WHEN duplicate_object OR invalid_grant_operation THEN NULL;
END $$;

-- The tenant a transaction acts for; NULL (no rows) when none is set.
CREATE FUNCTION arrears_current_tenant() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::bigint $$;

CREATE TABLE tenants (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    time_zone    text NOT NULL DEFAULT 'UTC',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- A key is shown once; only its SHA-256 is kept. The prefix identifies the row to compare.
CREATE TABLE api_keys (
    tenant_id    bigint NOT NULL REFERENCES tenants (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    prefix       text NOT NULL UNIQUE,
    secret_hash  bytea NOT NULL CHECK (length(secret_hash) = 32),
    role         text NOT NULL CHECK (role IN ('admin', 'read_only')),
    name         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE customers (
    tenant_id           bigint NOT NULL REFERENCES tenants (id),
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    external_ref        text NOT NULL CHECK (length(external_ref) BETWEEN 1 AND 200),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    time_zone           text NOT NULL DEFAULT 'UTC',
    language            text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    account_owner_email text,
    is_key_account      boolean NOT NULL DEFAULT false,
    -- Consumer debtors get contact-hour limits and an opt-out line in every message.
    is_consumer         boolean NOT NULL DEFAULT false,
    status              text NOT NULL DEFAULT 'active'
                        CHECK (status IN ('active', 'paused', 'do_not_contact', 'closed')),
    paused_until        date,
    escalation_level    integer NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 10),
    next_review_at      timestamptz NOT NULL DEFAULT now(),
    -- What the agents last did, so the next decision does not repeat it too soon.
    last_outreach_at           timestamptz,
    last_outreach_stage        text,
    reminders_without_reply    integer NOT NULL DEFAULT 0,
    last_inbound_at            timestamptz,
    last_contact_discovery_at  timestamptz,
    last_owner_notification_at timestamptz,
    -- The account owner handles the customer; automated outreach waits until then.
    owner_handling_until       date,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_ref)
);
-- The scheduler's scan for customers due for review.
CREATE INDEX customers_due_for_review ON customers (next_review_at) WHERE status <> 'closed';

CREATE TABLE contacts (
    tenant_id   bigint NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    customer_id bigint NOT NULL,
    name        text NOT NULL DEFAULT '',
    email       text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    role        text NOT NULL DEFAULT 'billing' CHECK (role ~ '^[a-z_]{1,32}$'),
    is_primary  boolean NOT NULL DEFAULT false,
    status      text NOT NULL DEFAULT 'unverified'
                CHECK (status IN ('unverified', 'valid', 'bounced', 'opted_out')),
    source      text NOT NULL DEFAULT 'manual' CHECK (source IN ('import', 'discovered', 'manual')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX contacts_customer_email ON contacts (tenant_id, customer_id, lower(email));
-- Inbound mail is matched to a customer by its sender's address.
CREATE INDEX contacts_email ON contacts (tenant_id, lower(email));

CREATE TABLE invoices (
    tenant_id   bigint NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    customer_id bigint NOT NULL,
    number      text NOT NULL CHECK (length(number) BETWEEN 1 AND 100),
    issued_on   date NOT NULL,
    due_on      date NOT NULL,
    amount      bigint NOT NULL CHECK (amount >= 0),
    open_amount bigint NOT NULL CHECK (open_amount >= 0 AND open_amount <= amount),
    currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status      text NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'paid', 'disputed', 'written_off', 'void')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
    CHECK (due_on >= issued_on)
);
-- A customer's open invoices: the heart of every exposure computation.
CREATE INDEX invoices_open_by_customer ON invoices (tenant_id, customer_id) WHERE open_amount > 0;

CREATE TABLE payments (
    tenant_id   bigint NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    customer_id bigint NOT NULL,
    amount      bigint NOT NULL CHECK (amount > 0),
    currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    received_on date NOT NULL,
    reference   text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
-- An ERP sync re-sends payments every hour; the reference makes that an upsert.
CREATE UNIQUE INDEX payments_reference ON payments (tenant_id, reference) WHERE reference IS NOT NULL;
CREATE INDEX payments_by_customer ON payments (tenant_id, customer_id, received_on);

-- How a payment is spread over invoices.
CREATE TABLE payment_allocations (
    tenant_id  bigint NOT NULL,
    payment_id bigint NOT NULL,
    invoice_id bigint NOT NULL,
    amount     bigint NOT NULL CHECK (amount > 0),
    PRIMARY KEY (tenant_id, payment_id, invoice_id),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX payment_allocations_invoice ON payment_allocations (tenant_id, invoice_id);

-- Tasks waiting to run: the queue's live table, kept small (running tasks, finished ones, the
-- claim and its indexes are in 0003_queue.sql). 'scheduled' tasks wait for run_at; 'available'
-- ones are ready to be claimed. Ids come from one sequence shared with running_tasks and
-- task_history, so a task keeps its id through retries and redrives.
CREATE TABLE tasks (
    tenant_id        bigint NOT NULL,
    id               bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME tasks_id_seq),
    customer_id      bigint,
    kind             text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    payload          jsonb NOT NULL DEFAULT '{}',
    -- Higher runs first.
    priority         smallint NOT NULL DEFAULT 0,
    run_at           timestamptz NOT NULL DEFAULT now(),
    state            text NOT NULL DEFAULT 'available' CHECK (state IN ('scheduled', 'available')),
    -- Attempts started so far; the next claim starts attempt + 1.
    attempt          integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts     integer NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    dedupe_key       text,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- Row-level security: arrears_app sees and writes only the rows of app.tenant_id.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = arrears_current_tenant()) WITH CHECK (id = arrears_current_tenant());

DO $$
DECLARE
    tenant_table text;
BEGIN
    FOREACH tenant_table IN ARRAY ARRAY['api_keys', 'customers', 'contacts', 'invoices', 'payments',
                                         'payment_allocations', 'tasks']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = arrears_current_tenant())'
                       ' WITH CHECK (tenant_id = arrears_current_tenant())', tenant_table);
    END LOOP;
END $$;

GRANT USAGE ON SCHEMA public TO arrears_app;
GRANT SELECT ON tenants TO arrears_app;
GRANT SELECT ON api_keys TO arrears_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON customers, contacts, invoices, payments, payment_allocations
    TO arrears_app;
GRANT SELECT, INSERT, UPDATE ON tasks TO arrears_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO arrears_app;
