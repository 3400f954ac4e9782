package dev.tally.admin;

import dev.tally.config.TallyConfig;
import dev.tally.session.StoreSessions;
import dev.tally.store.CacheStore;
import dev.tally.store.CounterStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.servlet.ServletContext;
import java.util.logging.Logger;

/**
 * Creates the configuration and the stores as the application starts, so that a bad setting stops the deployment
 * with a log line naming it, instead of failing the first request.
 */
@ApplicationScoped
class StartupCheck {

    private static final Logger LOG = Logger.getLogger(StartupCheck.class.getName());

    void onStart(@Observes @Initialized(ApplicationScoped.class) ServletContext context, TallyConfig config,
            CounterStore counters, CacheStore cache, StoreSessions sessions) {
        // The stores are opened here, by this first call, whatever the log level: a bad tally.store must stop the
        // deployment now (CDI creates the beans behind these proxies only when they are first used).
        String counterKind = counters.kind();
        String cacheKind = cache.kind();
        String bounds = cacheKind.equals("memory") ? "; cache bounds " + config.cacheMaxEntries() + " entries, "
                + config.cacheMaxBytes() + " bytes" : "";
        String sessionKind = sessions.kind();
        String where = sessionKind.equals("container") ? "the container's sessions" : "the " + sessionKind
                + " store (tally.session.store)";
        LOG.info(() -> "Tally started: counters in the " + counterKind + " store, cache in the " + cacheKind + " store"
                + bounds + "; per-user state in " + where);
    }
}
