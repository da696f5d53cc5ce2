package dev.slipway.bench;

import dev.slipway.events.Glob;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a hostile type glob costs: a pattern of 1000 stars and an {@code x}, the 10-star one that
 * used to hold both cores for more than 20 s, and a 1001-character {@code *d*d...*} that must read the whole type, against a 3000-character type that does not end in x,
 * matched by {@link Glob} and by the regular expression globs used to become ({@code .*} per star),
 * the baseline. The regex runs under a deadline (its text checks the clock as it is read), so the
 * baseline is a lower bound when it times out. Prints both times and their ratio.
 * Run: {@code ./mvnw -o -q -pl bench -am compile && java -cp bench/target/classes:events-schema/target/classes
 * dev.slipway.bench.GlobBenchmark}.
 */
public final class GlobBenchmark {

    private static final long REGEX_DEADLINE_NANOS = 10_000_000_000L;
    private static final String TYPE = "dev.slipway.stage.succeeded.v1".repeat(100);

    private GlobBenchmark() {
    }

    public static void main(String[] args) {
        for (String pattern : new String[] {"*".repeat(10) + "x", "*".repeat(1000) + "x", "*d".repeat(500) + "*"}) {
            Glob glob = Glob.of(pattern);
            int rounds = 10_000;
            for (int i = 0; i < rounds; i++) {
                glob.matches(TYPE);
            }
            long started = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                if (glob.matches(TYPE)) {
                    throw new AssertionError("matched");
                }
            }
            double globNanos = (System.nanoTime() - started) / (double) rounds;

            Pattern regex = Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                    .collect(Collectors.joining(".*")));
            Deadline text = new Deadline(TYPE, System.nanoTime() + REGEX_DEADLINE_NANOS);
            started = System.nanoTime();
            String outcome;
            try {
                outcome = regex.matcher(text).matches() ? "matched" : "finished";
            } catch (TimedOut timedOut) {
                outcome = "cut at the deadline";
            } catch (StackOverflowError overflow) {
                outcome = "stack overflow";
            }
            double regexNanos = System.nanoTime() - started;
            System.out.printf("%-10s (%d chars) vs %d chars: glob %.2f us, regex %.3f s (%s), ratio >= %.0fx%n",
                    pattern.substring(0, 10), pattern.length(),
                    TYPE.length(), globNanos / 1e3, regexNanos / 1e9, outcome, regexNanos / globNanos);
        }
    }

    private static final class TimedOut extends RuntimeException {
        TimedOut() {
            super(null, null, false, false);
        }
    }

    /** A text that ends the regex that reads it once the deadline passes. */
    private static final class Deadline implements CharSequence {

        private final String text;
        private final long deadlineNanos;
        private int reads;

        Deadline(String text, long deadlineNanos) {
            this.text = text;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0xfff) == 0 && System.nanoTime() > deadlineNanos) {
                throw new TimedOut();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.substring(start, end), deadlineNanos);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
