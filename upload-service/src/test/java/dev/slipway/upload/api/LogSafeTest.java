package dev.slipway.upload.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void controlCharactersLineSeparatorsAndBidiOverridesCannotForgeOrDisguiseALine() {
        assertThat(LogSafe.text("eve\r\nevent=login.succeeded")).isEqualTo("eve??event=login.succeeded");
        assertThat(LogSafe.text("a\u001b[31mred\u2028b\u202Ec")).isEqualTo("a?[31mred?b?c");
        assertThat(LogSafe.text("alice")).isEqualTo("alice");
        assertThat(LogSafe.text(null)).isEqualTo("<none>");
    }

    @Test
    void longInputIsCut() {
        assertThat(LogSafe.text("x".repeat(10_000))).hasSize(LogSafe.MAX_LENGTH + 3).endsWith("...");
    }
}
