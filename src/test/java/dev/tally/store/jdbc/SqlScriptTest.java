package dev.tally.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void semicolonsAndCommentMarkersInsideQuotesAreText() {
        String script = """
                -- a comment; with a semicolon
                CREATE TABLE t (a VARCHAR(10) DEFAULT 'x;y', b VARCHAR(10) DEFAULT 'it''s -- not a comment'); -- tail
                /* a block; comment */ INSERT INTO "odd;name" VALUES (1);
                INSERT INTO `back;tick` VALUES ('/* not a comment */')
                """;

        assertThat(SqlScript.statements(script)).containsExactly(
                "CREATE TABLE t (a VARCHAR(10) DEFAULT 'x;y', b VARCHAR(10) DEFAULT 'it''s -- not a comment')",
                "INSERT INTO \"odd;name\" VALUES (1)",
                "INSERT INTO `back;tick` VALUES ('/* not a comment */')");
    }

    @Test
    void anUnclosedQuoteOrCommentIsAnError() {
        assertThatThrownBy(() -> SqlScript.statements("SELECT 'open;")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlScript.statements("SELECT 1; /* open"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theShippedSchemasSplitIntoTheirStatements() throws IOException {
        for (SqlDialect dialect : SqlDialect.values()) {
            try (InputStream in = JdbcBackend.class.getResourceAsStream(dialect.schemaResource())) {
                assertThat(in).as(dialect.schemaResource()).isNotNull();
                assertThat(SqlScript.statements(new String(in.readAllBytes(), StandardCharsets.UTF_8)))
                        .as(dialect.schemaResource()).hasSizeBetween(6, 8)
                        .allSatisfy(statement -> assertThat(statement).matches("(?s)(CREATE|INSERT|MERGE) .*")
                                .doesNotContain("--"));
            }
        }
    }
}
