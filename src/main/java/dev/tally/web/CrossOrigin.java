package dev.tally.web;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Decides whether a state-changing request comes from another site, the way browsers let a server tell (the same
 * rule as Go's {@code http.CrossOriginProtection}):
 * <ol>
 *   <li>{@code Sec-Fetch-Site} present: only {@code same-origin} and {@code none} (the user typed the address)
 *       pass;</li>
 *   <li>else {@code Origin} present: it passes only when its host and port equal the {@code Host} header;</li>
 *   <li>neither present: not a browser, or a browser too old to send them; it passes (curl, scripts).</li>
 * </ol>
 * Safe methods (GET, HEAD, OPTIONS) always pass: they change nothing.
 */
public final class CrossOrigin {

    private CrossOrigin() {
    }

    public static boolean refused(String method, String secFetchSite, String origin, String host) {
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return false;
        }
        if (secFetchSite != null) {
            return !secFetchSite.equals("same-origin") && !secFetchSite.equals("none");
        }
        if (origin == null) {
            return false;
        }
        return host == null || !host.equalsIgnoreCase(authority(origin));
    }

    private static String authority(String origin) {
        try {
            String authority = new URI(origin).getRawAuthority();
            return authority == null ? "" : authority;
        } catch (URISyntaxException e) {
            return "";
        }
    }
}
