-- The very statement Tally's PostgreSQL store runs for one increment (SqlDialect.POSTGRESQL; a unit test keeps the
-- two equal). pgbench binds :name as a parameter with -M prepared, as pgjdbc does.
INSERT INTO tally_counter (name, counter_value) VALUES (:name, 1)
ON CONFLICT (name) DO UPDATE SET counter_value = tally_counter.counter_value + 1
RETURNING counter_value;
