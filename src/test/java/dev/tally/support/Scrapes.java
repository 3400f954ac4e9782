package dev.tally.support;

import java.util.Map;

/** Reading a Prometheus text scrape of {@code /metrics} in the tests. */
public final class Scrapes {

    private Scrapes() {
    }

    /** The sum of the samples of {@code name} that carry every one of {@code labels}; 0 when there is none. */
    public static double sample(String scrape, String name, Map<String, String> labels) {
        return scrape.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> labels.entrySet().stream().allMatch(label -> line.contains(
                        label.getKey() + "=\"" + label.getValue() + "\"")))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
