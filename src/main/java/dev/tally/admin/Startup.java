package dev.tally.admin;

import dev.tally.config.TallyConfig;
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
class Startup {

    private static final Logger LOG = Logger.getLogger(Startup.class.getName());

    void onStart(@Observes @Initialized(ApplicationScoped.class) ServletContext context, TallyConfig config,
            CounterStore counters, CacheStore cache) {
        LOG.info(() -> "Tally started: counters in the " + counters.kind() + " store, cache in the " + cache.kind()
                + " store; cache bounds " + config.cacheMaxEntries() + " entries, " + config.cacheMaxBytes()
                + " bytes");
    }
}
