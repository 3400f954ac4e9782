package dev.tally.store;

import dev.tally.problem.InvalidInputException;
import dev.tally.problem.Problem;

/**
 * The keys clients choose, for the shared cache and for session data: 1 to 200 characters of
 * {@code [A-Za-z0-9._:-]}, else 400 {@code INVALID_KEY}.
 */
public final class Keys {

    private Keys() {
    }

    public static String valid(String key) {
        if (!plain(key, 200, true)) {
            throw new InvalidInputException(Problem.INVALID_KEY,
                    "A key is 1 to 200 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'.");
        }
        return key;
    }

    /**
     * Whether {@code text} is 1 to {@code max} characters of {@code [A-Za-z0-9._-]}, and {@code ':'} if
     * {@code colon}: the names clients choose (keys, counter names). A loop, not a regular expression: it runs on
     * every request that names one.
     */
    public static boolean plain(String text, int max, boolean colon) {
        if (text == null || text.isEmpty() || text.length() > max) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-' || (colon && c == ':');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The key a request names after its servlet's path, {@code /api/cache/{key}}. */
    public static String fromPath(String pathInfo) {
        return valid(pathInfo == null ? "" : pathInfo.substring(1));
    }
}
