package dev.tally.web;

import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Lets a request through only with the BASIC credentials of a user the container's realm knows and who has the role
 * {@value #ROLE}: 401 {@code UNAUTHORIZED} with a challenge, or 403 {@code FORBIDDEN}. The password is checked by the
 * container ({@code HttpServletRequest.login}: Tomcat's realm, Jetty's login service), not by Tally.
 *
 * <p>Why here and not in a web.xml security constraint: the container answers a constraint before any filter runs,
 * and then reads the rest of the request's body at the client's pace on a request thread (Tomcat, up to
 * {@code maxSwallowSize}), so a few hundred anonymous PUTs trickling their bodies held every thread. Here the body has
 * been read without blocking before the check (RequestBodyFilter), and the answer is a problem like every other.
 *
 * <p>Lockout, of Tally's own: {@value #MAX_FAILURES} wrong passwords in a row lock a user name for
 * {@value #LOCK_SECONDS} s, the right password included, and the answer says nothing of it (the same 401). A user's
 * record is kept until {@value #LOCK_SECONDS} s after its last failure and never dropped to make room: an attacker
 * cannot flush tally-admin's record with failures of other names, as Tomcat's LockOutRealm allows (it forgets the
 * oldest of its 1 000 users). While the table is full ({@value #MAX_USERS} names) every name not in it is refused
 * without a check, until records age out: a flood of names can keep administrators out for a while, never let a
 * guess through. Failed logins are logged once a minute at most, as a count, never one line each.
 */
@ApplicationScoped
public class AdminLogin {

    public static final String ROLE = "tally-admin";
    /** The role of a metrics scraper: it may read {@code /metrics} and nothing else. */
    public static final String METRICS_ROLE = "tally-metrics";
    static final int MAX_FAILURES = 5;
    static final long LOCK_SECONDS = 300;
    static final int MAX_USERS = 10_000;
    /** Longer user names are not names: refused unread, so the failure table stays small (10 000 x 128 at most). */
    static final int MAX_USER_CHARS = 128;
    private static final String CHALLENGE = "Basic realm=\"Tally\", charset=\"UTF-8\"";
    private static final Logger LOG = Logger.getLogger(AdminLogin.class.getName());

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final AtomicLong failedSinceLog = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime());
    private final AtomicLong lastPurge = new AtomicLong(System.nanoTime());

    /**
     * A user name's wrong passwords in a row, and when the last one came. Never compared with {@code equals}: a
     * record's generated one would leave a method handle typed with it in the JDK's static cache (Java 17), which
     * keeps this application's class loader after a reload (see {@code RequestMetricsFilter.Route}).
     */
    private record Failures(int count, long lastNanos) {
    }

    /**
     * Returns when the request is made by a user with the role {@value #ROLE}; throws the refusal otherwise.
     *
     * @throws ProblemException 401 (no, malformed or wrong credentials, or a locked name) or 403 (no such role)
     */
    public void require(HttpServletRequest request, HttpServletResponse response) {
        require(request, response, ROLE);
    }

    /**
     * Returns when the request is made by a user with one of {@code roles} (a scraper's {@value #METRICS_ROLE}, or
     * {@value #ROLE}); throws the refusal otherwise.
     *
     * @throws ProblemException 401 (no, malformed or wrong credentials, or a locked name) or 403 (none of the roles)
     */
    public void require(HttpServletRequest request, HttpServletResponse response, String... roles) {
        String[] credentials = basic(request.getHeader("Authorization"));
        if (credentials == null) {
            // No BASIC credentials: only a user the container has authenticated otherwise (its own session) passes.
            if (inAnyRole(request, roles)) {
                return;
            }
            throw request.getUserPrincipal() == null ? unauthorized(response, roles) : forbidden(roles);
        }
        String user = credentials[0];
        // Before anything asks the container: Jetty authenticates the header by itself at the first question about
        // the user, and would let a locked user's right password through.
        if (locked(user, System.nanoTime())) {
            failed(user);
            throw unauthorized(response, roles);
        }
        if (request.getUserPrincipal() == null) {
            try {
                request.login(user, credentials[1]);
            } catch (ServletException wrong) {
                failed(user);
                throw unauthorized(response, roles);
            }
        }
        failures.remove(user);
        if (!inAnyRole(request, roles)) {
            throw forbidden(roles);
        }
    }

    private static boolean inAnyRole(HttpServletRequest request, String... roles) {
        for (String role : roles) {
            if (request.isUserInRole(role)) {
                return true;
            }
        }
        return false;
    }

    /** User and password of a BASIC {@code Authorization} header, or null when it is not one. */
    static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(header.substring(6).trim());
            String pair = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(decoded)).toString();
            int colon = pair.indexOf(':');
            return colon < 1 || colon > MAX_USER_CHARS ? null
                    : new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }

    boolean locked(String user, long now) {
        Failures record = failures.get(user);
        if (record != null) {
            if (expired(record, now)) {
                // Only this record, if no failure replaced it meanwhile; by identity, not equals (see Failures).
                failures.computeIfPresent(user, (name, held) -> held == record ? null : held);
                return false;
            }
            return record.count() >= MAX_FAILURES;
        }
        // Not in the table: refused only while the table is full of live records (see the class comment).
        return failures.size() >= MAX_USERS && !purge(now);
    }

    void failed(String user) {
        long now = System.nanoTime();
        if (failures.size() < MAX_USERS || failures.containsKey(user) || purge(now)) {
            failures.merge(user, new Failures(1, now), (old, one) -> new Failures(
                    expired(old, now) ? 1 : Math.min(old.count() + 1, MAX_FAILURES), now));
        }
        failedSinceLog.incrementAndGet();
        long last = lastLog.get();
        if (now - last > TimeUnit.MINUTES.toNanos(1) && lastLog.compareAndSet(last, now)) {
            long count = failedSinceLog.getAndSet(0);
            LOG.warning(() -> count + " failed " + ROLE + " logins in the last minute or more; " + failures.size()
                    + " user names with recent failures");
        }
    }

    /** Drops expired records, at most once a second (a full table is scanned whole); true when there is room. */
    private boolean purge(long now) {
        long last = lastPurge.get();
        if (now - last > TimeUnit.SECONDS.toNanos(1) && lastPurge.compareAndSet(last, now)) {
            failures.entrySet().removeIf(entry -> expired(entry.getValue(), now));
        }
        return failures.size() < MAX_USERS;
    }

    private static boolean expired(Failures record, long now) {
        return now - record.lastNanos() > TimeUnit.SECONDS.toNanos(LOCK_SECONDS);
    }

    private static ProblemException forbidden(String... roles) {
        return new ProblemException(Problem.FORBIDDEN, "This needs the role " + String.join(" or ", roles) + ".");
    }

    private static ProblemException unauthorized(HttpServletResponse response, String... roles) {
        response.setHeader("WWW-Authenticate", CHALLENGE);
        return new ProblemException(Problem.UNAUTHORIZED, "This needs a user with the role "
                + String.join(" or ", roles) + ".");
    }
}
