package dev.tally.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.annotation.WebListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Tally's layers, checked on the compiled classes: web -> services -> stores -> config, never back; the admin console
 * above them all, reached by nobody (it observes CDI events); the problems package below them all, depending on
 * nothing; ops (the metrics registry, the requests in flight, the request a log line is about) beside config, used
 * by every layer above it and using none. No package cycle anywhere. Services and stores say what went wrong with
 * typed exceptions, never with an HTTP status of their own choosing.
 *
 * <p>The layers are by role, not only by package: a feature package ({@code counter}, {@code session},
 * {@code cache}, {@code request}) holds its service and its servlets side by side, and its servlets, filters and
 * listeners (with their nested classes) are the web layer. The other tests add one planted class of the test sources
 * each ({@code Planted*}: a store reaching into the web layer; a service calling the admin console and throwing a bare
 * problem) and check that these same rules catch each of its faults.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.tally";

    /** A servlet, filter or listener, or a class nested in one: what the container calls. */
    private static final DescribedPredicate<JavaClass> WEB_ENTRY = describe("servlets, filters and listeners",
            ArchitectureTest::isWebEntry);

    static List<ArchRule> rules() {
        DescribedPredicate<JavaClass> feature = describe("in a feature package", c -> c.getPackageName().matches(
                "dev\\.tally\\.(counter|session|cache|request)"));
        ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Admin").definedBy("dev.tally.admin..")
                .layer("Web").definedBy(describe("web", c -> c.getPackageName().startsWith("dev.tally.web")
                        || c.getPackageName().startsWith("dev.tally.home")
                        || (feature.test(c) && WEB_ENTRY.test(c))))
                .layer("Services").definedBy(describe("services", c -> feature.test(c) && !WEB_ENTRY.test(c)))
                .layer("Stores").definedBy("dev.tally.store..")
                .layer("Ops").definedBy("dev.tally.ops..")
                .layer("Config").definedBy("dev.tally.config..")
                .layer("Problems").definedBy("dev.tally.problem..")
                .whereLayer("Admin").mayNotBeAccessedByAnyLayer()
                .whereLayer("Web").mayOnlyBeAccessedByLayers("Admin")
                .whereLayer("Services").mayOnlyBeAccessedByLayers("Web", "Admin")
                .whereLayer("Stores").mayOnlyBeAccessedByLayers("Services", "Web", "Admin")
                .whereLayer("Ops").mayOnlyBeAccessedByLayers("Stores", "Services", "Web", "Admin")
                .whereLayer("Ops").mayNotAccessAnyLayer()
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Stores", "Services", "Web", "Admin")
                .whereLayer("Problems").mayNotAccessAnyLayer()
                .whereLayer("Config").mayNotAccessAnyLayer();
        ArchRule noCycles = slices().matching("dev.tally.(**)").should().beFreeOfCycles();
        ArchRule typedProblems = noClasses()
                .that().resideInAnyPackage("dev.tally.store..", "dev.tally.counter..", "dev.tally.session..",
                        "dev.tally.cache..", "dev.tally.request..", "dev.tally.config..")
                .and().areNotAssignableTo(ProblemException.class)
                .and(DescribedPredicate.not(WEB_ENTRY))
                .should().callConstructor(ProblemException.class, Problem.class, String.class)
                .because("services and stores throw an exception that says what went wrong (InvalidInputException,"
                        + " NotFoundException, StoreUnavailableException...), not a bare HTTP problem");
        return List.of(layers, noCycles, typedProblems);
    }

    @Test
    void tallyKeepsItsLayers() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        assertThat(main.size()).as("classes of Tally's found").isGreaterThan(50);
        for (ArchRule rule : rules()) {
            rule.check(main);
        }
    }

    @Test
    void theRulesCatchAStoreReachingIntoTheWebLayer() {
        List<String> reports = reports(withPlanted("PlantedStoreReachingIntoWeb"));
        assertThat(reports.get(0)).as("wrong-way import").contains("dev.tally.store.PlantedStoreReachingIntoWeb");
        assertThat(reports.get(1)).as("package cycle").contains("Slice store").contains("Slice web");
        assertThat(reports.get(2)).as("no bare problem here").isEmpty();
    }

    @Test
    void theRulesCatchAServiceCallingTheAdminConsoleAndThrowingABareProblem() {
        List<String> reports = reports(withPlanted("PlantedServiceCallingAdmin"));
        assertThat(reports.get(0)).as("wrong-way import").contains("dev.tally.counter.PlantedServiceCallingAdmin");
        assertThat(reports.get(1)).as("package cycle").contains("Slice counter").contains("Slice admin");
        assertThat(reports.get(2)).as("bare problem").contains("PlantedServiceCallingAdmin.refuse()");
    }

    /**
     * Clients are told when to try again in one place, so a health check and a problem never disagree: the health
     * servlet once wrote its own {@code Retry-After: 1}.
     */
    @Test
    void retryAfterIsWrittenInOnePlace() throws IOException {
        List<String> writers;
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            writers = sources.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).contains("\"Retry-After\"");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).map(p -> p.getFileName().toString()).toList();
        }
        assertThat(writers).containsExactly("Problems.java");
    }

    /** Tally's classes and one planted class of the test sources. */
    private static JavaClasses withPlanted(String plant) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(location -> !location.contains("/test-classes/") || location.contains("/" + plant))
                .importPackages(ROOT);
        assertThat(classes.stream().filter(c -> c.getSimpleName().equals(plant))).hasSize(1);
        return classes;
    }

    /** What each of {@link #rules()} reports on {@code classes}, in order; empty where it holds. */
    private static List<String> reports(JavaClasses classes) {
        return rules().stream().map(rule -> rule.evaluate(classes))
                .map(result -> String.join("\n", result.getFailureReport().getDetails())).toList();
    }

    private static boolean isWebEntry(JavaClass javaClass) {
        for (JavaClass c = javaClass; c != null; c = c.getEnclosingClass().orElse(null)) {
            if (c.isAssignableTo(Servlet.class) || c.isAssignableTo(Filter.class)
                    || c.isAnnotatedWith(WebListener.class)) {
                return true;
            }
        }
        return false;
    }
}
