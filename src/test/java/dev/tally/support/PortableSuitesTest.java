package dev.tally.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The portability executions of pom.xml (tomcat11, jetty12) name the suites they run, since a Tomcat-only test class
 * cannot even be loaded without Tomcat. This keeps each list equal to the suites that run the WAR through
 * {@link TallyServer}, so a new one cannot be left out of the other containers.
 */
class PortableSuitesTest {

    @Test
    void everyTallyServerSuiteRunsOnEveryContainer() throws IOException {
        Set<String> suites = new TreeSet<>();
        Path root = Path.of("src/test/java");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith("IT.java")).toList()) {
                if (Files.readString(file).contains("new TallyServer(")) {
                    suites.add(root.relativize(file).toString());
                }
            }
        }
        assertThat(suites).hasSizeGreaterThan(5);

        String pom = Files.readString(Path.of("pom.xml"));
        for (String execution : List.of("tomcat11", "jetty12")) {
            Matcher block = Pattern.compile("<id>" + execution + "</id>(.*?)</execution>", Pattern.DOTALL)
                    .matcher(pom);
            assertThat(block.find()).as("execution " + execution).isTrue();
            Set<String> included = new TreeSet<>();
            Matcher include = Pattern.compile("<include>([^<]+)</include>").matcher(block.group(1));
            while (include.find()) {
                included.add(include.group(1));
            }
            assertThat(included).as("suites of the " + execution + " execution").isEqualTo(suites);
        }
    }
}
