-- The scheduler: a customer comes up for review at once when anything its decision depends on
-- changes — invoices, payments, promises, disputes, contacts, inbound mail — and the scheduler
-- is woken by a notification instead of waiting for its next poll.
--
-- Statement-level triggers with transition tables touch each affected customer once per
-- statement, so a bulk import of 100,000 invoices costs one UPDATE, not 100,000; and no code
-- path (API, CSV import, agents) can forget to do it. Transition tables need one trigger per
-- event. The customers' update only lowers next_review_at (never postpones a review) and
-- notifies only when it changed something: NOTIFY serialises commits, so it is kept rare.

CREATE FUNCTION scheduler_review_changed_customers() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers AS c SET next_review_at = now()
      FROM (SELECT DISTINCT tenant_id, customer_id FROM changed_rows WHERE customer_id IS NOT NULL) AS changed
     WHERE c.tenant_id = changed.tenant_id AND c.id = changed.customer_id AND c.next_review_at > now();
    IF FOUND THEN
        PERFORM pg_notify('arrears_review', '');
    END IF;
    RETURN NULL;
END $$;

-- Replies and bounces matter; the agents' own outbound mail does not.
CREATE FUNCTION scheduler_review_inbound_mail() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers AS c SET next_review_at = now()
      FROM (SELECT DISTINCT tenant_id, customer_id FROM changed_rows
             WHERE customer_id IS NOT NULL AND direction = 'inbound') AS changed
     WHERE c.tenant_id = changed.tenant_id AND c.id = changed.customer_id AND c.next_review_at > now();
    IF FOUND THEN
        PERFORM pg_notify('arrears_review', '');
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    watched text;
    event text;
BEGIN
    FOREACH watched IN ARRAY ARRAY['invoices', 'payments', 'promises', 'disputes', 'contacts'] LOOP
        FOREACH event IN ARRAY ARRAY['insert', 'update'] LOOP
            EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING NEW TABLE AS changed_rows'
                           ' FOR EACH STATEMENT EXECUTE FUNCTION scheduler_review_changed_customers()',
                           'scheduler_review_' || watched || '_on_' || event, upper(event), watched);
        END LOOP;
    END LOOP;
    FOREACH event IN ARRAY ARRAY['insert', 'update'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON messages REFERENCING NEW TABLE AS changed_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION scheduler_review_inbound_mail()',
                       'scheduler_review_messages_on_' || event, upper(event));
    END LOOP;
END $$;
