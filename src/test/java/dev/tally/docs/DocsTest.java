package dev.tally.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.config.Settings;
import dev.tally.config.TallyConfig;
import dev.tally.problem.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation tells the truth the code can check: the README stays short, every relative link and anchor in
 * README.md and docs/ resolves, docs/api.md lists exactly the error codes of {@link Problem} with their statuses, and
 * docs/settings.md describes exactly the settings {@link TallyConfig} reads.
 */
class DocsTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$");
    private static final Pattern CODE_ROW = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\| (\\d{3}|4xx) \\|");
    private static final Pattern SETTING = Pattern.compile("(?m)^- `(tally\\.[A-Za-z.]+)`:");

    @Test
    void theReadmeIsShort() throws IOException {
        assertThat(Files.readAllLines(Path.of("README.md"))).as("lines of README.md").hasSizeLessThanOrEqualTo(150);
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertThat(pages).hasSizeGreaterThan(8);
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher link = LINK.matcher(withoutCode(Files.readString(page)));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? page : page.resolveSibling(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(page + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
        assertThat(Files.readString(Path.of("README.md"))).as("the README links every docs page")
                .contains(pages.stream().skip(1).map(p -> "](" + p.toString().replace('\\', '/') + ")").toList());
    }

    @Test
    void theDocumentedErrorCodesAreTheCodes() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        Matcher row = CODE_ROW.matcher(Files.readString(Path.of("docs/api.md")));
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        Map<String, String> actual = new TreeMap<>();
        for (Problem problem : Problem.values()) {
            actual.put(problem.code(), problem == Problem.CLIENT_ERROR ? "4xx" : String.valueOf(problem.status()));
        }
        assertThat(documented).as("error codes in docs/api.md and their statuses").isEqualTo(actual);
    }

    @Test
    void theDocumentedSettingsAreTheSettings() throws IOException {
        Set<String> read = new TreeSet<>();
        TallyConfig.from(new Settings(name -> {
            read.add(name);
            return null;
        }, name -> null, Map.of()));
        Set<String> documented = new TreeSet<>();
        Matcher bullet = SETTING.matcher(Files.readString(Path.of("docs/settings.md")));
        while (bullet.find()) {
            documented.add(bullet.group(1));
        }
        assertThat(read).hasSizeGreaterThan(10);
        assertThat(documented).as("settings described in docs/settings.md").isEqualTo(read);
    }

    /** The anchors GitHub gives a page's headings: lower case, spaces to '-', other punctuation dropped. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new TreeSet<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        Matcher heading = HEADING.matcher(withoutCode(Files.readString(page)));
        while (heading.find()) {
            String slug = heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }

    /** The page without its fenced code blocks, where neither links nor headings are what they look like. */
    private static String withoutCode(String markdown) {
        String[] parts = markdown.split("(?m)^```", -1);
        StringBuilder outside = new StringBuilder();
        for (int i = 0; i < parts.length; i += 2) {
            outside.append(parts[i]).append('\n');
        }
        return outside.toString();
    }
}
