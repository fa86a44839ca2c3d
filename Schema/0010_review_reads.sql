-- Cheaper reads and writes for the scheduler's review, the one job that touches every customer.
-- Additive for rolling deploys: a replica of the previous release keeps reading the paid history
-- through payments and allocations, and never named the dropped index.

-- The day an invoice was paid: the latest day a payment allocated to it arrived. A review reads a
-- year of paid invoices per customer; joining payments → allocations → invoices for it cost more
-- than any other read of the review. Triggers keep the column right on every path that allocates
-- a payment, undoes one or moves its date (API, CSV import, agents), so no code can forget it.
ALTER TABLE invoices ADD COLUMN paid_on date;

UPDATE invoices AS i SET paid_on = allocated.paid_on
  FROM (SELECT a.tenant_id, a.invoice_id, max(p.received_on) AS paid_on
          FROM payment_allocations AS a
          JOIN payments AS p ON p.tenant_id = a.tenant_id AND p.id = a.payment_id
         GROUP BY a.tenant_id, a.invoice_id) AS allocated
 WHERE i.tenant_id = allocated.tenant_id AND i.id = allocated.invoice_id;

-- A customer's paid invoices by the day they were paid, read without visiting the table.
CREATE INDEX invoices_paid_by_customer ON invoices (tenant_id, customer_id, paid_on) INCLUDE (due_on, number)
    WHERE open_amount = 0 AND paid_on IS NOT NULL AND status NOT IN ('void', 'written_off');

-- Sets the given invoices' paid_on from their allocations as they are now.
CREATE FUNCTION invoices_refresh_paid_on(tenant_ids bigint[], invoice_ids bigint[]) RETURNS void
    LANGUAGE sql AS $$
    UPDATE invoices AS i SET paid_on = (
               SELECT max(p.received_on)
                 FROM payment_allocations AS a
                 JOIN payments AS p ON p.tenant_id = a.tenant_id AND p.id = a.payment_id
                WHERE a.tenant_id = i.tenant_id AND a.invoice_id = i.id)
      FROM (SELECT DISTINCT * FROM unnest(tenant_ids, invoice_ids)) AS changed(tenant_id, invoice_id)
     WHERE i.tenant_id = changed.tenant_id AND i.id = changed.invoice_id
$$;

CREATE FUNCTION invoices_paid_on_after_allocations() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM invoices_refresh_paid_on(array_agg(tenant_id), array_agg(invoice_id)) FROM changed_allocations;
    RETURN NULL;
END $$;

-- A payment's date may be corrected after it was allocated.
CREATE FUNCTION invoices_paid_on_after_payment_dates() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM invoices_refresh_paid_on(array_agg(a.tenant_id), array_agg(a.invoice_id))
       FROM changed_payments AS changed
       JOIN old_payments AS previous ON previous.tenant_id = changed.tenant_id AND previous.id = changed.id
       JOIN payment_allocations AS a ON a.tenant_id = changed.tenant_id AND a.payment_id = changed.id
      WHERE changed.received_on IS DISTINCT FROM previous.received_on;
    RETURN NULL;
END $$;

CREATE TRIGGER invoices_paid_on_after_allocation AFTER INSERT ON payment_allocations
    REFERENCING NEW TABLE AS changed_allocations
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_paid_on_after_allocations();
CREATE TRIGGER invoices_paid_on_after_deallocation AFTER DELETE ON payment_allocations
    REFERENCING OLD TABLE AS changed_allocations
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_paid_on_after_allocations();
CREATE TRIGGER invoices_paid_on_after_payment_update AFTER UPDATE ON payments
    REFERENCING NEW TABLE AS changed_payments OLD TABLE AS old_payments
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_paid_on_after_payment_dates();

-- The primary key (tenant_id, id) already serves newest-first listings, read backwards; a second
-- copy of it cost every audit event, one per customer per review, an extra index insert.
DROP INDEX audit_events_recent;
