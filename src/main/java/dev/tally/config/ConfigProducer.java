package dev.tally.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import jakarta.servlet.ServletContext;

/**
 * Reads this deployment's configuration once, as the application starts (before any other startup observer), from
 * its context, the JVM and the environment. A bad value fails here, and so fails the deployment.
 */
@ApplicationScoped
class ConfigProducer {

    private TallyConfig config;

    void read(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) @Initialized(ApplicationScoped.class)
            ServletContext context) {
        config = TallyConfig.from(new Settings(context::getInitParameter, System::getProperty, System.getenv()));
    }

    @Produces
    @Singleton
    TallyConfig config() {
        if (config == null) {
            throw new IllegalStateException("The configuration is read when the application starts");
        }
        return config;
    }
}
