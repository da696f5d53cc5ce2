package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildSettingsTest {

    @Test
    void plainEnvWithinTheLimitsIsAccepted() {
        Map<String, String> env = Map.of("NODE_ENV", "production", "_TOKEN", "a b=c 'd' \"e\" $HOME ü");

        assertThat(BuildSettings.requirePlainEnv(env)).isEqualTo(env);
    }

    @ParameterizedTest
    @ValueSource(strings = {"A=B", "1ABC", "", "A-B", "A B", "../X", "A\nB"})
    void namesAShellWouldNotTakeAreRefused(String name) {
        assertThatThrownBy(() -> BuildSettings.requirePlainEnv(Map.of(name, "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("build env name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\nbreak", "carriage\rreturn", "nul\0byte"})
    void aValueThatWouldBreakTheEnvFileIsRefusedWithoutShowingIt(String value) {
        assertThatThrownBy(() -> BuildSettings.requirePlainEnv(Map.of("TOKEN", value)))
                .hasMessageContaining("TOKEN").hasMessageContaining("base64")
                .satisfies(refusal -> assertThat(refusal.getMessage()).doesNotContain(value));
    }

    @Test
    void twoThousandVarsAreRefused() {
        Map<String, String> env = new HashMap<>();
        IntStream.range(0, 2000).forEach(i -> env.put("V" + i, "x"));

        assertThatThrownBy(() -> BuildSettings.requirePlainEnv(env)).hasMessageContaining("at most 64");
    }

    @Test
    void aMegabyteValueIsRefusedByTheTotalSize() {
        assertThatThrownBy(() -> BuildSettings.requirePlainEnv(Map.of("BIG", "x".repeat(1 << 20))))
                .hasMessageContaining("at most " + BuildSettings.MAX_ENV_BYTES);
    }

    @Test
    void aHugeNameIsNotEchoedInFull() {
        String name = "A=".repeat(100_000);

        assertThatThrownBy(() -> BuildSettings.requireEnvName(name))
                .satisfies(refusal -> assertThat(refusal.getMessage()).hasSizeLessThan(300));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../Dockerfile", "/etc/passwd", "a/../../b", "./Dockerfile", "a//b", "Docker file",
            "a\\b"})
    void dockerfilesOutsideTheSourceAreRefused(String path) {
        assertThatThrownBy(() -> BuildSettings.requireDockerfile(path)).hasMessageContaining("relative path");
    }

    @Test
    void aDockerfileInASubfolderIsAccepted() {
        assertThat(new BuildSettings(Map.of(), true, "docker/Dockerfile.web").dockerfile())
                .isEqualTo("docker/Dockerfile.web");
    }
}
