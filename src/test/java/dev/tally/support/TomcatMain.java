package dev.tally.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main class of a Tomcat node started as a separate JVM by {@link TomcatProcess}: the packaged WAR in an
 * embedded Tomcat on a free port of localhost, with the settings given as {@code name=value} arguments, and
 * optionally {@code --base=DIR} (a base directory kept across runs) and {@code --context-xml=FILE} (Tally's context
 * configuration, such as a tomcat-conf variant). Prints {@code PORT <port>} when it serves, and stops when its
 * standard input closes (so it never outlives the test).
 */
public final class TomcatMain {

    private TomcatMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        Path base = null;
        String contextXml = null;
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            switch (pair[0]) {
                case "--base" -> base = Path.of(pair[1]);
                case "--context-xml" -> contextXml = pair[1];
                default -> settings.put(pair[0], pair[1]);
            }
        }
        String configFile = contextXml;
        EmbeddedTomcat.Customizer customizer = (server, tally) -> {
            if (configFile != null) {
                tally.setConfigFile(Path.of(configFile).toUri().toURL());
            }
        };
        try (EmbeddedTomcat tomcat = base == null ? EmbeddedTomcat.start(settings, customizer)
                : EmbeddedTomcat.startIn(base, settings, customizer)) {
            System.out.println("PORT " + tomcat.port());
            System.out.flush();
            while (System.in.read() != -1) {
                // wait for the parent to close our input
            }
        }
        System.exit(0);
    }
}
