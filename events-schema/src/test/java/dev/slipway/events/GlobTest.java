package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void starsMatchAnyRunAndOtherCharactersThemselves() {
        assertThat(Glob.of("dev.slipway.stage.*").matches("dev.slipway.stage.failed.v1")).isTrue();
        assertThat(Glob.of("dev.slipway.stage.*").matches("dev.slipway.stages")).isFalse();
        assertThat(Glob.of("*failed*").matches("dev.slipway.deploy.failed.v1")).isTrue();
        assertThat(Glob.of("*").matches("")).isTrue();
        assertThat(Glob.of("").matches("")).isTrue();
        assertThat(Glob.of("").matches("a")).isFalse();
        assertThat(Glob.of("a*a").matches("a")).isFalse();
        assertThat(Glob.of("a*a").matches("aa")).isTrue();
        assertThat(Glob.of("ab*ba").matches("aba")).isFalse();
        assertThat(Glob.of("dev.slipway.(.*").matches("dev.slipway.stage")).isFalse();
        assertThat(Glob.of("a.c").matches("abc")).as("a dot is a dot, not any character").isFalse();
    }

    /** Every small glob over a tiny alphabet agrees with the regular expression that globs used to be. */
    @Test
    void agreesWithTheRegularExpressionOnRandomGlobs() {
        Random random = new Random(42);
        String alphabet = "ab*";
        for (int run = 0; run < 20_000; run++) {
            String glob = randomText(random, alphabet, 7);
            String text = randomText(random, "ab", 9);
            Pattern regex = Pattern.compile(Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote)
                    .collect(Collectors.joining(".*")));
            assertThat(Glob.of(glob).matches(text)).as("'%s' against '%s'", glob, text)
                    .isEqualTo(regex.matcher(text).matches());
        }
    }

    /** The pattern that took a regular expression more than 20 s answers at once, also 100 times longer. */
    @Test
    void manyStarsAnswerInLinearTime() {
        String text = "dev.slipway.stage.succeeded.v1".repeat(100);
        Glob attack = Glob.of("*".repeat(1000) + "x");
        Glob longer = Glob.of("*a".repeat(500) + "x");
        long started = System.nanoTime();
        // preemptive: a backtracking matcher would hang here rather than return late
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 1000; i++) {
                assertThat(attack.matches(text)).isFalse();
                assertThat(longer.matches(text)).isFalse();
            }
        });
        long tookMicros = (System.nanoTime() - started) / 1000 / 1000;
        System.out.printf("glob: 1000-star pattern against a %d-character type: %d us per match%n", text.length(),
                tookMicros);
        assertThat(tookMicros).isLessThan(5_000);
        assertThatThrownBy(() -> EventType.matching("*".repeat(10) + "x")).hasMessageContaining("names no event type");
    }

    @Test
    void aNullGlobIsRefused() {
        assertThatThrownBy(() -> Glob.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String randomText(Random random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
