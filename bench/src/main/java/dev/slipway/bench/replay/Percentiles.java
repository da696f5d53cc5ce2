package dev.slipway.bench.replay;

import java.util.Arrays;

/** Nearest-rank percentiles of request times, in milliseconds. */
public record Percentiles(int count, double p50, double p99) {

    static Percentiles of(double[] millis) {
        if (millis.length == 0) {
            throw new IllegalArgumentException("no request times");
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 99));
    }

    private static double rank(double[] sorted, int percentile) {
        return sorted[Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}
