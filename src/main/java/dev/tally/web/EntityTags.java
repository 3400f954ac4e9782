package dev.tally.web;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP entity-tags (RFC 9110 8.8.3): writing one for {@code ETag}, and reading the lists of {@code If-Match} and
 * {@code If-None-Match}. A list that does not parse names no tag, so a condition built from it matches nothing.
 */
public final class EntityTags {

    /** One entity-tag of a list: optionally weak, a quoted opaque value of the characters RFC 9110 allows. */
    private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([\\x21\\x23-\\x7E]*)\"\\s*(,|$)");

    private EntityTags() {
    }

    /** The strong entity-tag of {@code version}, for {@code ETag}. */
    public static String quoted(String version) {
        return '"' + version + '"';
    }

    /** Whether a condition header is {@code *}: any current value. */
    public static boolean isAny(String header) {
        return header.trim().equals("*");
    }

    /**
     * The opaque values of the tags in {@code header}: only the strong ones for {@code If-Match} (a write compares
     * strongly), weak ones too for {@code If-None-Match} (weak comparison).
     */
    public static Set<String> values(String header, boolean includeWeak) {
        Set<String> values = new LinkedHashSet<>();
        Matcher tag = TAG.matcher(header);
        int at = 0;
        while (at < header.length() && tag.find(at) && tag.start() == at) {
            if (tag.group(1) == null || includeWeak) {
                values.add(tag.group(2));
            }
            at = tag.end();
        }
        return at == header.length() ? values : Set.of();
    }
}
