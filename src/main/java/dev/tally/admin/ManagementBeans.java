package dev.tally.admin;

import dev.tally.config.TallyConfig;
import dev.tally.counter.CounterUsed;
import dev.tally.counter.Counters;
import dev.tally.session.SessionStats;
import dev.tally.session.StoreSessions;
import dev.tally.store.CacheStore;
import dev.tally.store.CacheUsage;
import dev.tally.store.CounterStore;
import dev.tally.store.MemoryBudget;
import dev.tally.store.StoreStats;
import dev.tally.store.StoreUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Tally in the container's admin console: one MBean for the store, one for the cache, one for the state in this node's
 * sessions, one for the memory budget, and one
 * per global counter this node has served, on the platform MBean server, named with the context path so that two
 * deployments never collide. Counters are registered when first used here (at most {@value #MAX_COUNTERS}, so a flood
 * of names cannot flood JMX), and every MBean is unregistered when the application stops: nothing registered may keep
 * the web application's class loader.
 */
@ApplicationScoped
public class ManagementBeans {

    static final String DOMAIN = "dev.tally";
    static final int MAX_COUNTERS = CounterUsed.MAX_NAMES;
    /** What one counter's MBean takes on the platform MBean server, rounded up; reserved for all at startup. */
    static final long MBEAN_BYTES = 2048;
    private static final Logger LOG = Logger.getLogger(ManagementBeans.class.getName());

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Set<ObjectName> registered = ConcurrentHashMap.newKeySet();
    private final Set<String> counterNames = ConcurrentHashMap.newKeySet();
    private volatile String context;

    @Inject
    Counters counters;

    @Inject
    CounterStore store;

    @Inject
    StoreStats stats;

    @Inject
    SessionStats sessions;

    @Inject
    StoreSessions storeSessions;

    @Inject
    CacheStore cache;

    @Inject
    TallyConfig config;

    @Inject
    MemoryBudget budget;

    void start(@Observes @Initialized(ApplicationScoped.class) ServletContext servletContext) {
        context = servletContext.getContextPath().isEmpty() ? "/" : servletContext.getContextPath();
        budget.charge(MAX_COUNTERS * MBEAN_BYTES);
        register(name("Store", null), new StandardMBean(new StoreView(), StoreMXBean.class, true));
        register(name("Sessions", null), new StandardMBean(new SessionsView(), SessionsMXBean.class, true));
        register(name("Cache", null), new StandardMBean(new CacheView(), CacheMXBean.class, true));
        register(name("MemoryBudget", null), new StandardMBean(new BudgetView(), MemoryBudgetMXBean.class, true));
    }

    /** Hears of every counter this application increments; registers its MBean the first time. */
    void counterUsed(@Observes CounterUsed used) {
        String counter = used.name();
        if (context == null || counterNames.contains(counter) || counterNames.size() >= MAX_COUNTERS) {
            return;
        }
        if (counterNames.add(counter)) {
            register(name("Counter", counter), new StandardMBean(new CounterView(counter), CounterMXBean.class, true));
        }
    }

    @PreDestroy
    void stop() {
        for (ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (JMException e) {
                LOG.log(Level.FINE, "MBean " + name + " was already gone", e);
            }
        }
        registered.clear();
    }

    private ObjectName name(String type, String counter) {
        try {
            // Counter names are [A-Za-z0-9._-]; a context path is quoted only if it holds what ObjectName reserves,
            // so the usual name is dev.tally:type=Counter,context=/tally,name=global, as Tomcat names its own.
            String path = context.matches("[A-Za-z0-9/._~-]*") ? context : ObjectName.quote(context);
            return new ObjectName(DOMAIN + ":type=" + type + ",context=" + path
                    + (counter == null ? "" : ",name=" + counter));
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    private void register(ObjectName name, Object mbean) {
        try {
            server.registerMBean(mbean, name);
            registered.add(name);
        } catch (JMException e) {
            // Another deployment with the same context path in another host, or a leftover: Tally works on.
            LOG.log(Level.WARNING, "Could not register MBean " + name + ": " + e);
        }
    }

    private final class CounterView implements CounterMXBean {
        private final String counter;

        CounterView(String counter) {
            this.counter = counter;
        }

        @Override
        public String getName() {
            return counter;
        }

        @Override
        public long getValue() {
            try {
                return counters.get(counter);
            } catch (StoreUnavailableException e) {
                return -1;
            }
        }

        @Override
        public void reset() {
            counters.reset(counter);
        }
    }

    private final class StoreView implements StoreMXBean {
        @Override
        public String getKind() {
            return store.kind();
        }

        @Override
        public boolean isReachable() {
            try {
                store.ping();
                return true;
            } catch (StoreUnavailableException e) {
                return false;
            }
        }

        @Override
        public long getCounters() {
            try {
                return store.count();
            } catch (StoreUnavailableException e) {
                return -1;
            }
        }

        @Override
        public long getMaxCounters() {
            return config.store().equals("memory") ? config.maxCounters() : config.storeMaxCounters();
        }

        @Override
        public long getIncrementRoundTrips() {
            return stats.incrementRoundTrips();
        }

        @Override
        public long getCoalescedIncrements() {
            return stats.coalescedIncrements();
        }

        @Override
        public long getOperations() {
            return stats.operations();
        }

        @Override
        public long getFailures() {
            return stats.failures();
        }
    }

    private final class SessionsView implements SessionsMXBean {
        @Override
        public long getSessionsWithCounter() {
            return sessions.sessionsWithCounter();
        }

        @Override
        public long getSessionsWithData() {
            return sessions.sessionsWithData();
        }

        @Override
        public long getDataKeys() {
            return sessions.dataKeys();
        }

        @Override
        public String getStore() {
            return storeSessions.kind();
        }

        @Override
        public long getLiveSessions() {
            return storeSessions.live();
        }

        @Override
        public long getMaxSessions() {
            return storeSessions.maxSessions();
        }

        @Override
        public long getCreated() {
            return storeSessions.created();
        }

        @Override
        public long getRefused() {
            return storeSessions.refused();
        }

        @Override
        public long getCorrupt() {
            return storeSessions.corrupt();
        }

        @Override
        public long getCounterRoundTrips() {
            return storeSessions.counterRoundTrips();
        }

        @Override
        public long getCoalescedCounterChanges() {
            return storeSessions.coalescedCounterChanges();
        }
    }

    private final class BudgetView implements MemoryBudgetMXBean {
        @Override
        public long getLimit() {
            return budget.limit();
        }

        @Override
        public long getUsed() {
            return budget.used();
        }
    }

    private final class CacheView implements CacheMXBean {
        @Override
        public long getEntries() {
            return cache.usage().map(CacheUsage::entries).orElse(-1L);
        }

        @Override
        public long getBytes() {
            return cache.usage().map(CacheUsage::bytes).orElse(-1L);
        }

        @Override
        public long getMaxEntries() {
            return config.cacheMaxEntries();
        }

        @Override
        public long getMaxBytes() {
            return config.cacheMaxBytes();
        }
    }
}
