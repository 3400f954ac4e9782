package dev.tally.store;

import dev.tally.problem.ProblemException;
import dev.tally.web.Problems;

/**
 * Planted for {@code ArchitectureTest}, never used: a store that reaches up into the web layer, which is a wrong-way
 * import and, since the web layer uses the stores, a package cycle. Test code only; the WAR never holds it.
 */
final class PlantedStoreReachingIntoWeb {

    private PlantedStoreReachingIntoWeb() {
    }

    static ProblemException asProblem(RuntimeException failure) {
        return Problems.of(failure);
    }
}
