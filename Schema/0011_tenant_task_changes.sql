-- A tenant's own cancel and redrive run in its row-level-security transaction, as arrears_app,
-- together with their audit event: so the role may now move its tenant's tasks between the
-- queue's tables, and nothing more. Cancel deletes a waiting task into history or flags a
-- running one; redrive deletes a dead task from history back into the waiting table (which it
-- could already insert into). Workers and the reaper still work as the owner.
GRANT DELETE ON tasks TO arrears_app;
GRANT INSERT, DELETE ON task_history TO arrears_app;
GRANT UPDATE (cancel_requested) ON running_tasks TO arrears_app;
