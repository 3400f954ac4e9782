package dev.tally.store.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a schema script into its statements, as a database's own client would: a {@code ;} ends a statement only
 * outside quotes ({@code '...'} with {@code ''} inside, {@code "..."}, MariaDB's {@code `...`}) and outside comments,
 * and comments ({@code -- } to the end of a line, {@code /* ... *}{@code /}) are dropped wherever they stand. Not
 * handled, since Tally's scripts do not use them: PostgreSQL's dollar quoting and MariaDB's {@code DELIMITER}.
 */
final class SqlScript {

    private SqlScript() {
    }

    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int length = script.length();
        for (int i = 0; i < length; i++) {
            char c = script.charAt(i);
            char next = i + 1 < length ? script.charAt(i + 1) : 0;
            if (c == '-' && next == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? length : end - 1;
            } else if (c == '/' && next == '*') {
                int end = script.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("A comment in the schema script is not closed");
                }
                i = end + 1;
                current.append(' ');
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = closing(script, i, c);
                current.append(script, i, end + 1);
                i = end;
            } else if (c == ';') {
                add(statements, current);
            } else {
                current.append(c);
            }
        }
        add(statements, current);
        return statements;
    }

    /** Where the quote opened at {@code start} closes; a doubled quote inside is the quote character itself. */
    private static int closing(String script, int start, char quote) {
        for (int i = start + 1; i < script.length(); i++) {
            if (script.charAt(i) == quote) {
                if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("A quoted part of the schema script is not closed");
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().trim();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }
}
