package dev.tally.counter;

import dev.tally.admin.ManagementBeans;
import dev.tally.problem.Problem;
import dev.tally.problem.ProblemException;

/**
 * Planted for {@code ArchitectureTest}, never used: a service that calls the admin console (the counter-admin cycle
 * Tally once had) and throws a bare HTTP problem instead of a typed exception. Test code only; the WAR never holds it.
 */
final class PlantedServiceCallingAdmin {

    private PlantedServiceCallingAdmin() {
    }

    static Object management() {
        return new ManagementBeans();
    }

    static void refuse() {
        throw new ProblemException(Problem.INVALID_NAME, "planted");
    }
}
