package dev.tally.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a query string or an {@code application/x-www-form-urlencoded} body, for a request whose body
 * the container no longer has ({@link BufferedRequest}). Bounded: a flood of pairs costs at most
 * {@value #MAX_PARAMETERS} parameters.
 */
final class FormParameters {

    static final int MAX_PARAMETERS = 100;

    private FormParameters() {
    }

    /** application/x-www-form-urlencoded, UTF-8; a pair that does not decode is left out, as are pairs past 100. */
    static void parse(String encoded, Map<String, List<String>> into) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        int count = 0;
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty() || count++ >= MAX_PARAMETERS) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals),
                        StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1),
                        StandardCharsets.UTF_8);
                into.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException notEncoded) {
                // A broken percent-encoding: this pair is not a parameter.
            }
        }
    }
}
