package dev.tally.config;

import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Where a setting's value comes from, most specific first:
 * <ol>
 *   <li>the web application's context init-parameter {@code tally.x} (web.xml or a Tomcat
 *       {@code <Parameter name="tally.x" value="..."/>} in the context configuration: one deployment);</li>
 *   <li>the system property {@code tally.x} (one JVM);</li>
 *   <li>the environment variable {@code TALLY_X}, the name upper-cased with dots as underscores (one process):
 *       {@code TALLY_STORE_PASSWORDFILE}, or with the words of the name split, {@code TALLY_STORE_PASSWORD_FILE};</li>
 *   <li>the default.</li>
 * </ol>
 * A value that is not usable stops the deployment with an {@link InvalidSettingException} naming the setting.
 */
public final class Settings {

    private final UnaryOperator<String> initParameters;
    private final UnaryOperator<String> systemProperties;
    private final Map<String, String> environment;

    public Settings(UnaryOperator<String> initParameters, UnaryOperator<String> systemProperties,
            Map<String, String> environment) {
        this.initParameters = initParameters;
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /**
     * The environment variable that holds the setting {@code name}: {@code tally.cache.maxBytes} is
     * {@code TALLY_CACHE_MAXBYTES}.
     */
    static String environmentName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /**
     * The same with the words of a camel-case name split too, as the official database images name theirs:
     * {@code tally.store.passwordFile} is also {@code TALLY_STORE_PASSWORD_FILE}.
     */
    static String environmentWords(String name) {
        return environmentName(name.replaceAll("([a-z0-9])([A-Z])", "$1_$2"));
    }

    public String string(String name, String defaultValue) {
        String value = initParameters.apply(name);
        if (value == null) {
            value = systemProperties.apply(name);
        }
        if (value == null) {
            value = environment.get(environmentName(name));
        }
        if (value == null) {
            value = environment.get(environmentWords(name));
        }
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    public long integer(String name, long defaultValue, long min, long max) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSettingException(name, "an integer from " + min + " to " + max, value);
    }
}
