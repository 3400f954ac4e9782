package dev.tally.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The application's one meter registry: each layer records what it does into it (requests, store operations,
 * coalesced batches, cache lookups) and the admin layer adds gauges over the numbers its MBeans show, so the admin
 * console and a Prometheus scrape read the same figures. Its own, never Micrometer's global registry: a registry held
 * by a static would keep this application's class loader after an undeploy, and two deployments would mix.
 *
 * <p>The JVM's figures come with it (memory, garbage collection, threads, classes, CPU, uptime, file descriptors),
 * so a scrape of Tally is a scrape of its JVM. The garbage collectors' listener is removed when the application stops.
 */
@ApplicationScoped
public class Metrics {

    /** Latency buckets of request timers, in seconds: from a fast memory answer to a store timeout. */
    public static final Duration[] LATENCY_BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)};

    /**
     * Two of Micrometer's own names break Prometheus's naming rules ({@code promtool check metrics} says so): the
     * CPU count would be {@code system_cpu_count}, a {@code _count} that is no histogram's, and it becomes
     * {@code system_cpus}; the process's CPU time in nanoseconds ({@code process_cpu_time_ns_total}, an abbreviated
     * unit) is dropped, {@code process_cpu_usage} says the same. The threads by state ({@code jvm_threads_states})
     * are dropped too: each scrape would snapshot every thread of the JVM ({@code ThreadMXBean.getThreadInfo}), once
     * per state, and a scrape was seen stuck there for over a minute in a test JVM of many threads; the live, daemon,
     * peak and started counts stay.
     */
    static final MeterFilter PROMETHEUS_NAMES = new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return id.getName().equals("process.cpu.time") || id.getName().equals("jvm.threads.states")
                    ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
        }
    };

    private PrometheusMeterRegistry registry;
    private JvmGcMetrics gc;

    /**
     * A registry of its own without the JVM's figures, for Tally's classes used outside a running application
     * (unit tests, benchmarks). In the application, CDI creates the one instance.
     */
    public static Metrics standalone() {
        Metrics metrics = new Metrics();
        metrics.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.registry.config().meterFilter(PROMETHEUS_NAMES);
        return metrics;
    }

    @PostConstruct
    void open() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(PROMETHEUS_NAMES);
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Every meter as Prometheus scrapes it, in the format {@code contentType} names (Prometheus text 0.0.4, or
     * OpenMetrics when the scraper asks for it); see {@link #contentType(String)}.
     */
    public String scrape(String contentType) {
        return registry.scrape(contentType);
    }

    /** The format to answer a scraper's {@code Accept} header with: OpenMetrics if it asks for it, else text 0.0.4. */
    public static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
    }

    @PreDestroy
    void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
