package dev.tally.session;

import dev.tally.config.TallyConfig;
import dev.tally.ops.CurrentRequest;
import dev.tally.store.CoalescingSessionStore;
import dev.tally.store.CorruptSessionException;
import dev.tally.store.SessionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Sessions held in a shared store ({@code tally.session.store}): how an id is drawn, how the store names it, and how
 * a request's cookie finds its session. {@link StoreSessionFilter} hands the result to servlets through
 * {@code getSession}.
 *
 * <p>The rules are those of container sessions: an id is 256 random bits; an id the store does not hold alive is
 * never adopted (a new session gets a new id); a new session lives {@code tally.session.newTimeout} until its client
 * comes back, then web.xml's session-timeout, extended while the client is active but written at most once per
 * {@code tally.session.touchInterval}; at most {@code tally.session.maxSessions} live at once, across every node.
 */
@ApplicationScoped
public class StoreSessions {

    private static final Logger LOG = Logger.getLogger(StoreSessions.class.getName());
    /** A session id as drawn here: 32 bytes in base64url. Anything else in the cookie is never looked up. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** A clash of 256-bit ids never happens; a store answering TAKEN every time is broken. */
    private static final int CREATE_ATTEMPTS = 3;
    /** Sessions in a store need a timeout: web.xml's session-timeout of 0 or less gives them this one. */
    static final int DEFAULT_TIMEOUT_SECONDS = 30 * 60;

    static final int LIVE_CACHE_SECONDS = 10;

    private final SecureRandom random = new SecureRandom();
    private final LongAdder created = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder corrupt = new LongAdder();
    /** The last count of live sessions and when it was taken (nanoTime). */
    private volatile long[] liveCount;
    private SessionStore store;
    private TallyConfig config;

    @Inject
    public StoreSessions(TallyConfig config, Optional<SessionStore> store) {
        this.config = config;
        this.store = store.orElse(null);
    }

    /** Needed by CDI for the client proxy. */
    protected StoreSessions() {
    }

    /** Whether sessions live in the store; else the container's sessions serve. */
    public boolean enabled() {
        return store != null;
    }

    /** Where sessions live, for health and the admin console: {@code container}, {@code redis}, {@code h2}... */
    public String kind() {
        return store == null ? "container" : store.kind();
    }

    /** Checks that the session store answers; nothing to check for container sessions. */
    public void ping() {
        if (store != null) {
            store.ping();
        }
    }

    /**
     * Live sessions in the store, of every node together, as counted at most {@value #LIVE_CACHE_SECONDS} s ago; -1
     * for container sessions (the container's Manager counts those) or while the store does not answer.
     */
    public long live() {
        if (store == null) {
            return -1;
        }
        long[] cached = liveCount;
        if (cached != null && System.nanoTime() - cached[1] < TimeUnit.SECONDS.toNanos(LIVE_CACHE_SECONDS)) {
            return cached[0];
        }
        long live;
        try {
            live = store.live();
        } catch (RuntimeException e) {
            live = -1;
        }
        liveCount = new long[] {live, System.nanoTime()};
        return live;
    }

    /** The cap on live sessions in the store; -1 for container sessions. */
    public long maxSessions() {
        return store == null ? -1 : config.sessionMaxSessions();
    }

    /** Sessions this node created in the store. */
    public long created() {
        return created.sum();
    }

    /** Sessions this node did not create because the store held {@code tally.session.maxSessions}. */
    public long refused() {
        return refused.sum();
    }

    /**
     * Round trips this node made for per-user counter changes; -1 for container sessions, or when changes are not
     * coalesced ({@code tally.store.maxBatch} 1).
     */
    public long counterRoundTrips() {
        return store instanceof CoalescingSessionStore coalescing ? coalescing.roundTrips() : -1;
    }

    /** Per-user counter changes those round trips carried (of sessions made before their request); -1 as above. */
    public long coalescedCounterChanges() {
        return store instanceof CoalescingSessionStore coalescing ? coalescing.changes() : -1;
    }

    /** Sessions this node found in the store in a form not Tally's, and deleted. */
    public long corrupt() {
        return corrupt.sum();
    }

    /** Counts and logs a session found corrupt (see {@link CorruptSessionException}). */
    void reportCorrupt(CorruptSessionException e) {
        corrupt.increment();
        LOG.warning(CurrentRequest.tag() + e.getMessage() + "; the user starts afresh");
    }

    /** Whether a cookie value could be a session id of Tally's, and is worth a look in the store. */
    static boolean wellFormed(String id) {
        return id != null && ID.matcher(id).matches();
    }

    SessionStore store() {
        return store;
    }

    /** How a change by a client that came back with its cookie extends its session. */
    SessionStore.Touch touch(ServletContext context) {
        long full = fullTimeoutMillis(context);
        return new SessionStore.Touch(full, Math.min(full / 2, config.sessionTouchIntervalSeconds() * 1000L));
    }

    /**
     * The live session one of {@code ids} names (at most the first two are looked up), resumed: its idle timeout
     * extended if due. Null if none is alive.
     */
    StoreHttpSession.State find(List<String> ids, ServletContext context) {
        SessionStore.Touch touch = touch(context);
        for (String id : ids.subList(0, Math.min(2, ids.size()))) {
            String storeId = storeId(id);
            SessionStore.Found found = resume(storeId, touch);
            if (found != null) {
                return new StoreHttpSession.State(id, storeId, found, false, touch);
            }
        }
        return null;
    }

    /** The session {@code id} names, not looked up yet: its first change will (see {@link StoreHttpSession}). */
    StoreHttpSession.State named(String id, ServletContext context) {
        return new StoreHttpSession.State(id, storeId(id), null, false, touch(context));
    }

    /**
     * The session {@code storeId}, resumed by a request of its client; null if it is not alive. A session the store
     * holds in a form that is not Tally's has been deleted by the store; it is logged and not found.
     */
    SessionStore.Found resume(String storeId, SessionStore.Touch touch) {
        try {
            return store.resume(storeId, touch).orElse(null);
        } catch (CorruptSessionException e) {
            reportCorrupt(e);
            return null;
        }
    }

    /**
     * A new session, with a fresh id, that lives {@code tally.session.newTimeout} until its client comes back.
     *
     * @throws TooManySessionsException when {@code tally.session.maxSessions} are alive
     */
    StoreHttpSession.State create() {
        long timeout = config.sessionNewTimeoutSeconds() * 1000L;
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            String id = newId();
            String storeId = storeId(id);
            switch (store.create(storeId, timeout, config.sessionMaxSessions())) {
                case OK -> {
                    created.increment();
                    return new StoreHttpSession.State(id, storeId,
                            new SessionStore.Found(System.currentTimeMillis(), 0, 0, timeout), true, null);
                }
                case FULL -> {
                    refused.increment();
                    throw new TooManySessionsException();
                }
                default -> {
                    // TAKEN: draw again
                }
            }
        }
        throw new IllegalStateException("The session store claims every new 256-bit id is taken");
    }

    String newId() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What the store calls a session: the SHA-256 of its id, so that nothing in the store works as a cookie. */
    static String storeId(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /** web.xml's session-timeout, in ms: the idle timeout of a session whose client came back. */
    static long fullTimeoutMillis(ServletContext context) {
        int minutes = context.getSessionTimeout();
        return (minutes > 0 ? minutes * 60L : DEFAULT_TIMEOUT_SECONDS) * 1000L;
    }
}
