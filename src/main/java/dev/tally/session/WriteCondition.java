package dev.tally.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * What a write of one data key requires of the value it replaces: HTTP's {@code If-Match} and {@code If-None-Match},
 * in the service's terms. Two tabs that edit one structured value each read it with its version, change it, and write
 * it back only if it is still that version: the second writer is refused instead of overwriting the first one's change
 * unseen, and reads again. A value's version is a digest of its JSON text, so it needs no extra state in the session
 * and is the same on every node and in every store.
 *
 * @param mustExist    whether a value must exist under the key ({@code If-Match})
 * @param versions     versions one of which the current value must have ({@code If-Match: "v1", "v2"}); null for any
 *                     ({@code If-Match: *}, or no If-Match); empty when only weak tags were sent, which never match a
 *                     write, so that no value qualifies
 * @param notVersions  versions the current value, if any, must not have ({@code If-None-Match: "v1"})
 * @param mustBeAbsent whether no value may exist under the key ({@code If-None-Match: *})
 */
public record WriteCondition(boolean mustExist, Set<String> versions, Set<String> notVersions, boolean mustBeAbsent) {

    /** No condition: the write always goes ahead. */
    public static final WriteCondition NONE = new WriteCondition(false, null, Set.of(), false);

    /** A value must exist ({@code If-Match: *}). */
    public static WriteCondition ifPresent() {
        return new WriteCondition(true, null, Set.of(), false);
    }

    /** The current value must have one of {@code versions} ({@code If-Match: "v1", "v2"}). */
    public static WriteCondition ifVersion(Set<String> versions) {
        return new WriteCondition(true, Set.copyOf(versions), Set.of(), false);
    }

    /** And also: no value may exist ({@code If-None-Match: *}). */
    public WriteCondition andAbsent() {
        return new WriteCondition(mustExist, versions, notVersions, true);
    }

    /** And also: the current value, if any, must not have one of {@code excluded} ({@code If-None-Match: "v1"}). */
    public WriteCondition andNotVersion(Set<String> excluded) {
        return new WriteCondition(mustExist, versions, Set.copyOf(excluded), mustBeAbsent);
    }

    /** Whether a write may replace {@code current} (null: no value under the key). */
    boolean admits(String current) {
        if (current == null) {
            return !mustExist;
        }
        if (mustBeAbsent) {
            return false;
        }
        String version = version(current);
        return (versions == null || versions.contains(version)) && !notVersions.contains(version);
    }

    /**
     * The version of a JSON value: 128 bits of its SHA-256, in base64url. Equal texts have equal versions, so a value
     * written back unchanged keeps its version; different texts differ but by a chance of 2^-128.
     */
    public static String version(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
