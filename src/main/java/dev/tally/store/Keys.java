package dev.tally.store;

import dev.tally.problem.InvalidInputException;
import dev.tally.problem.Problem;
import java.util.regex.Pattern;

/**
 * The keys clients choose, for the shared cache and for session data: 1 to 200 characters of
 * {@code [A-Za-z0-9._:-]}, else 400 {@code INVALID_KEY}.
 */
public final class Keys {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private Keys() {
    }

    public static String valid(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidInputException(Problem.INVALID_KEY,
                    "A key is 1 to 200 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'.");
        }
        return key;
    }

    /** The key a request names after its servlet's path, {@code /api/cache/{key}}. */
    public static String fromPath(String pathInfo) {
        return valid(pathInfo == null ? "" : pathInfo.substring(1));
    }
}
