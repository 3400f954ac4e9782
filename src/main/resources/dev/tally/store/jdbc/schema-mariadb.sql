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
