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
-- Sessions held in the store (tally.session.store): one row per session, named by the SHA-256 of its id (base64url),
-- and one row per data key. A session is alive while expires_at (ms) is in the future; expired rows are purged.
CREATE TABLE IF NOT EXISTS tally_session (
    id_hash    VARCHAR(43) PRIMARY KEY,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    fresh      BOOLEAN     NOT NULL,
    counter    BIGINT      NOT NULL DEFAULT 0,
    data_keys  INT         NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tally_session_expires_at ON tally_session (expires_at);
CREATE TABLE IF NOT EXISTS tally_session_data (
    id_hash  VARCHAR(43)  NOT NULL REFERENCES tally_session (id_hash) ON DELETE CASCADE,
    data_key VARCHAR(200) NOT NULL,
    json     CHARACTER LARGE OBJECT NOT NULL,
    version  VARCHAR(22)  NOT NULL,
    PRIMARY KEY (id_hash, data_key)
);
-- One row, locked by every creation of a session, so that counting the live ones and adding one is atomic.
CREATE TABLE IF NOT EXISTS tally_session_creation (id INT PRIMARY KEY);
MERGE INTO tally_session_creation (id) KEY (id) VALUES (1);
