-- The very statement Tally's PostgreSQL store runs for one increment (SqlDialect.POSTGRESQL; a unit test keeps the
-- two equal). pgbench binds :name and :delta as parameters with -M prepared, as pgjdbc does; Tally sends a delta of
-- more than 1 when it coalesces increments that arrive together, pgbench always 1.
\set delta 1
INSERT INTO tally_counter (name, counter_value) VALUES (:name, :delta)
ON CONFLICT (name) DO UPDATE SET counter_value = tally_counter.counter_value + EXCLUDED.counter_value
RETURNING counter_value;
