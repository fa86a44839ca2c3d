-- The task queue: waiting tasks (tasks, in 0001), running tasks, and finished ones.
--
-- A task moves between tables instead of changing a state column: waiting in `tasks`, running
-- in `running_tasks` (with its lease), finished in `task_history`. So the tables a claim reads
-- hold only live rows, `running_tasks` is never larger than the workers' total concurrency, and
-- history is partitioned by day and dropped whole after its retention instead of vacuumed.

-- A lane is one kind's ready tasks of one tenant, in claim order: higher priority first (the
-- key holds -priority so that one row comparison can start a scan at a lane's head), then
-- run_at. The claim walks a kind's tenants with ready work through this index (a skip scan),
-- then takes from the head of each lane.
CREATE INDEX tasks_ready ON tasks (kind, tenant_id, (-priority::int), run_at, id) WHERE state = 'available';
-- Scheduled tasks (future run_at, retries after backoff) in the order they fall due.
CREATE INDEX tasks_due ON tasks (run_at) WHERE state = 'scheduled';
-- A second enqueue with the same key while the first waits returns the first.
CREATE UNIQUE INDEX tasks_dedupe ON tasks (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL;

-- Every row is deleted within seconds of its insertion: vacuum by dead-row count, not by a
-- fraction of a table whose size swings from nothing to millions, and without throttling.
ALTER TABLE tasks SET (
    autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
    autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 50000,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 20000,
    autovacuum_vacuum_cost_delay = 0,
    -- Truncating empty trailing pages takes an exclusive lock that stalls every claim.
    vacuum_truncate = false);

CREATE TABLE running_tasks (
    tenant_id        bigint NOT NULL,
    id               bigint NOT NULL,
    customer_id      bigint,
    kind             text NOT NULL,
    payload          jsonb NOT NULL,
    priority         smallint NOT NULL,
    run_at           timestamptz NOT NULL,
    -- The attempt this run is; with lease_owner it fences completions.
    attempt          integer NOT NULL CHECK (attempt > 0),
    max_attempts     integer NOT NULL,
    dedupe_key       text,
    last_error       text,
    created_at       timestamptz NOT NULL,
    lease_owner      text NOT NULL,
    lease_expires_at timestamptz NOT NULL,
    claimed_at       timestamptz NOT NULL DEFAULT now(),
    -- Set by cancel; the owner stops the handler when it next renews its leases.
    cancel_requested boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id)
) WITH (fillfactor = 80,
        autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
        autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000,
        autovacuum_vacuum_cost_delay = 0, vacuum_truncate = false);
-- The database itself forbids a second running task for a customer. The claim inserts with
-- ON CONFLICT DO NOTHING, so a race between claimers skips the customer instead of failing.
-- (Tasks without a customer have a NULL here and never conflict.) customer_id leads so that
-- lookups by (tenant_id, id) can only use the primary key.
CREATE UNIQUE INDEX running_tasks_one_per_customer ON running_tasks (customer_id, tenant_id);
-- No index on lease_expires_at: the reaper's scan, once a second, of a table that never holds
-- more rows than the workers' concurrency costs less than maintaining one on every claim and
-- every renewal.

CREATE TABLE task_history (
    tenant_id    bigint NOT NULL,
    id           bigint NOT NULL,
    customer_id  bigint,
    kind         text NOT NULL,
    payload      jsonb NOT NULL,
    priority     smallint NOT NULL,
    run_at       timestamptz NOT NULL,
    state        text NOT NULL CHECK (state IN ('succeeded', 'dead', 'cancelled')),
    attempt      integer NOT NULL,
    max_attempts integer NOT NULL,
    dedupe_key   text,
    last_error   text,
    created_at   timestamptz NOT NULL,
    -- When the handler of the last attempt started, by the worker's clock (NULL if never run).
    started_at   timestamptz,
    finished_at  timestamptz NOT NULL DEFAULT now(),
    worker       text
) PARTITION BY RANGE (finished_at);
-- Catches rows for days without a partition yet; arrears_queue_maintain() keeps it empty.
CREATE TABLE task_history_default PARTITION OF task_history DEFAULT;
CREATE INDEX task_history_task ON task_history (tenant_id, id);
CREATE INDEX task_history_dead ON task_history (tenant_id, kind, finished_at) WHERE state = 'dead';

-- Creates a partition per UTC day from yesterday to `days_ahead` days ahead, and drops
-- partitions that ended more than `retention` ago. Workers call it at start and hourly.
CREATE FUNCTION arrears_queue_maintain(retention interval DEFAULT interval '14 days', days_ahead integer DEFAULT 7)
    RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    day date;
    partition_name text;
    old record;
BEGIN
    -- One maintainer at a time; the others find the work done.
    PERFORM pg_advisory_xact_lock(hashtext('arrears_queue_maintain'));
    FOR day IN SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 1,
                                      (now() AT TIME ZONE 'UTC')::date + days_ahead, interval '1 day')::date
    LOOP
        partition_name := 'task_history_' || to_char(day, 'YYYYMMDD');
        CONTINUE WHEN to_regclass(partition_name) IS NOT NULL;
        BEGIN
            EXECUTE format('CREATE TABLE %I PARTITION OF task_history FOR VALUES FROM (%L) TO (%L)',
                           partition_name, (day::timestamp AT TIME ZONE 'UTC'),
                           ((day + 1)::timestamp AT TIME ZONE 'UTC'));
        EXCEPTION WHEN check_violation THEN
            -- Rows of that day already sit in the default partition; they stay there.
            NULL;
        END;
    END LOOP;
    FOR old IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'task_history'::regclass AND c.relname ~ '^task_history_[0-9]{8}$'
          AND (to_date(substring(c.relname FROM 14), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC' < now() - retention
    LOOP
        EXECUTE format('DROP TABLE %I', old.relname);
    END LOOP;
END $$;

SELECT arrears_queue_maintain();

ALTER TABLE running_tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON running_tasks
    USING (tenant_id = arrears_current_tenant()) WITH CHECK (tenant_id = arrears_current_tenant());
ALTER TABLE task_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON task_history
    USING (tenant_id = arrears_current_tenant()) WITH CHECK (tenant_id = arrears_current_tenant());
GRANT SELECT ON running_tasks, task_history TO arrears_app;
