-- Tally's tables on H2, created at startup when absent.
CREATE TABLE IF NOT EXISTS tally_counter (
    name  VARCHAR(64) PRIMARY KEY,
    counter_value BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS tally_cache (
    cache_key  VARCHAR(200) PRIMARY KEY,
    json       CHARACTER LARGE OBJECT NOT NULL,
    expires_at BIGINT       NOT NULL
);
CREATE INDEX IF NOT EXISTS tally_cache_expires_at ON tally_cache (expires_at);
