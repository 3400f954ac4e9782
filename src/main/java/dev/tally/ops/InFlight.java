package dev.tally.ops;

import io.micrometer.core.instrument.Gauge;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The requests this application is serving now, and whether it has begun to stop. A request is in flight from the
 * moment the first filter sees it to the moment its answer is complete, asynchronous ones included. Readiness turns
 * DOWN once the application is stopping, and the stores are closed only once no request is in flight (or a bound
 * has passed): a request the container let in before the stop gets its answer, not a closed store.
 */
@ApplicationScoped
public class InFlight {

    private static final Logger LOG = Logger.getLogger(InFlight.class.getName());

    private final AtomicInteger requests = new AtomicInteger();
    private final Requests tracker = new Requests();
    private final Object idle = new Object();
    private volatile boolean stopping;
    private volatile Duration drain = Duration.ofSeconds(3);

    @Inject
    Metrics metrics;

    @PostConstruct
    void register() {
        Gauge.builder("tally.http.requests.in.flight", requests, AtomicInteger::get)
                .description("Requests being served now, from the first filter to the end of the answer")
                .register(metrics.registry());
    }

    /**
     * Counts requests in and out: the request filter's, held once rather than called through this bean's client
     * proxy on every request (the proxy's lookup cost more than the count).
     */
    public final class Requests {

        private Requests() {
        }

        public void begin() {
            requests.incrementAndGet();
        }

        public void end() {
            if (requests.decrementAndGet() == 0 && stopping) {
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
        }
    }

    /** What counts this application's requests in and out; one for the application's life. */
    public Requests tracker() {
        return tracker;
    }

    public int count() {
        return requests.get();
    }

    /** The application has begun to stop: readiness is DOWN from now on. Requests still in flight go on. */
    public void stopping() {
        stopping = true;
    }

    public boolean isStopping() {
        return stopping;
    }

    /** How long the stopping application waits for the requests in flight: what one can take using the store. */
    public void drainAtMost(Duration timeout) {
        drain = timeout;
    }

    /**
     * Before CDI destroys any bean of the application (its stores among them), waits until the requests in flight are
     * answered, at most {@link #drainAtMost}: the container may let a request run on while the application stops, and
     * it must get its answer from an open store and live beans, not a closed pool. Only if this bean exists: an
     * application that served no request has none to wait for.
     */
    void drain(@Observes(notifyObserver = Reception.IF_EXISTS) @BeforeDestroyed(ApplicationScoped.class)
            Object event) {
        try {
            if (!awaitIdle(drain)) {
                LOG.warning(() -> count() + " requests still in flight after " + drain.toMillis()
                        + " ms; the application stops under them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until no request is in flight, for at most {@code timeout}, and says the application is stopping. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        stopping();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (requests.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Bounded waits: an end() between the check and the wait is seen at the next round at the latest.
                idle.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
            }
        }
        return true;
    }
}
