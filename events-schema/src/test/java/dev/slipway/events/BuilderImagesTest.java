package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuilderImagesTest {

    private final BuilderImages defaults = BuilderImages.allowing(List.of());

    @Test
    void theDefaultBuilderIsAllowedByTheDefaultList() {
        assertThat(defaults.refusal(BuilderImages.DEFAULT_IMAGE)).isEmpty();
        assertThat(defaults.refusal("paketobuildpacks/builder-jammy-base:0.4.3")).isEmpty();
        assertThat(defaults.refusal("docker.io/paketobuildpacks/builder-jammy-tiny")).isEmpty();
        assertThat(defaults.refusal("paketobuildpacks/builder-jammy-full@sha256:" + "a".repeat(64))).isEmpty();
    }

    @Test
    void imagesOutsideTheListAreRefusedNamingTheSetting() {
        assertThat(defaults.refusal("evil.example.com/steal-credentials:1")).hasValueSatisfying(message ->
                assertThat(message).contains("evil.example.com/steal-credentials:1", BuilderImages.SETTING,
                        BuilderImages.DEFAULT_ALLOWED));
        assertThat(defaults.refusal("paketobuildpacks/builder-jammy-full.evil.com/x:1")).isPresent();
        assertThat(defaults.refusal("evilpaketobuildpacks/builder-jammy-full:latest")).isPresent();
    }

    @Test
    void aStarDoesNotCrossAPathSeparatorOrAHost() {
        assertThat(defaults.refusal("paketobuildpacks/builder-jammy-x/attacker:1")).isPresent();
        assertThat(defaults.refusal("registry.evil.com/paketobuildpacks/builder-jammy-full:latest")).isPresent();
        BuilderImages registry = BuilderImages.allowing(List.of("registry.corp:5000/builders/*"));
        assertThat(registry.refusal("registry.corp:5000/builders/java:21")).isEmpty();
        assertThat(registry.refusal("registry.corp:5000/builders/team/other:1")).isPresent();
        assertThat(registry.refusal("registry.corp:5000/builders-evil/java:21")).isPresent();
    }

    @Test
    void exactEntriesAllowOnlyThatReference() {
        BuilderImages exact = BuilderImages.allowing(List.of("heroku/builder:24", " paketobuildpacks/builder:base "));
        assertThat(exact.refusal("heroku/builder:24")).isEmpty();
        assertThat(exact.refusal("paketobuildpacks/builder:base")).isEmpty();
        assertThat(exact.refusal("heroku/builder:22")).isPresent();
        assertThat(exact.refusal(BuilderImages.DEFAULT_IMAGE)).as("an explicit list replaces the default").isPresent();
    }

    @Test
    void whatIsNotAnImageReferenceIsRefusedWhateverTheList() {
        BuilderImages anything = BuilderImages.allowing(List.of("*", "*/*", "*/*/*"));
        assertThat(anything.refusal("busybox:1.36")).isEmpty();
        for (String hostile : List.of("", "busybox:1.36 --privileged", "busybox;rm -rf /", "busybox\n:1", "../x",
                "-it/busybox", "Busybox", "a".repeat(300))) {
            assertThat(anything.refusal(hostile)).as(hostile).hasValueSatisfying(message ->
                    assertThat(message).contains("not an image reference").doesNotContain("\n"));
        }
        assertThat(anything.refusal(null)).isPresent();
    }

    @Test
    void matchingIsLinearOnPathologicalGlobs() {
        BuilderImages nasty = BuilderImages.allowing(List.of("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"));
        // preemptive: a backtracking matcher would hang here rather than return late
        long started = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(nasty.refusal("a".repeat(200))).isPresent());
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(500);
    }
}
