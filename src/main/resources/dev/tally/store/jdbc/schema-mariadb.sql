-- Tally's tables on MariaDB, created at startup when absent.
CREATE TABLE IF NOT EXISTS tally_counter (
    name  VARCHAR(64) NOT NULL PRIMARY KEY,
    counter_value BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE IF NOT EXISTS tally_cache (
    cache_key  VARCHAR(200) NOT NULL PRIMARY KEY,
    json       MEDIUMTEXT   NOT NULL,
    expires_at BIGINT       NOT NULL,
    INDEX tally_cache_expires_at (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
-- Sessions held in the store (tally.session.store): one row per session, named by the SHA-256 of its id (base64url),
-- and one row per data key. A session is alive while expires_at (ms) is in the future; expired rows are purged.
CREATE TABLE IF NOT EXISTS tally_session (
    id_hash    VARCHAR(43) NOT NULL PRIMARY KEY,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    fresh      BOOLEAN     NOT NULL,
    counter    BIGINT      NOT NULL DEFAULT 0,
    data_keys  INT         NOT NULL DEFAULT 0,
    INDEX tally_session_expires_at (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE IF NOT EXISTS tally_session_data (
    id_hash  VARCHAR(43)  NOT NULL,
    data_key VARCHAR(200) NOT NULL,
    json     MEDIUMTEXT   NOT NULL,
    version  VARCHAR(22)  NOT NULL,
    PRIMARY KEY (id_hash, data_key),
    FOREIGN KEY (id_hash) REFERENCES tally_session (id_hash) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
-- One row, locked by every creation of a session, so that counting the live ones and adding one is atomic.
CREATE TABLE IF NOT EXISTS tally_session_creation (id INT NOT NULL PRIMARY KEY) ENGINE = InnoDB;
INSERT IGNORE INTO tally_session_creation (id) VALUES (1);
