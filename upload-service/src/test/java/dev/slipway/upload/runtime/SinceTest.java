package dev.slipway.upload.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.upload.api.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class SinceTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void durationsCountBackFromNow() {
        assertThat(Since.parse("30s", CLOCK)).isEqualTo(NOW.minusSeconds(30));
        assertThat(Since.parse("10m", CLOCK)).isEqualTo(NOW.minus(Duration.ofMinutes(10)));
        assertThat(Since.parse("2h", CLOCK)).isEqualTo(NOW.minus(Duration.ofHours(2)));
        assertThat(Since.parse("1d", CLOCK)).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(Since.parse("1h30m", CLOCK)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
    }

    @Test
    void rfc3339TimesAreTakenWithTheirOffset() {
        assertThat(Since.parse("2026-12-01T10:00:00Z", CLOCK)).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(Since.parse("2026-12-01T11:00:00+01:00", CLOCK)).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void nothingMeansEverythingTheRuntimeKeeps() {
        assertThat(Since.parse(null, CLOCK)).isNull();
        assertThat(Since.parse("", CLOCK)).isNull();
    }

    @Test
    void hugeDurationsStopAtTenYearsRatherThanOverflow() {
        assertThat(Since.parse("999999d999999d999999d999999d", CLOCK)).isEqualTo(NOW.minus(Duration.ofDays(3650)));
    }

    @Test
    void anythingElseIs422WithWhatWouldBeTaken() {
        for (String bad : new String[] {"yesterday", "10", "-5m", "5 m", "10y", "1e9s", "2026-12-01", "10m;rm -rf /",
                "9999999s", "x".repeat(10_000)}) {
            assertThatThrownBy(() -> Since.parse(bad, CLOCK)).as(bad).isInstanceOfSatisfying(ApiException.class,
                    refusal -> {
                        assertThat(refusal.status()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
                        assertThat(refusal.details()).contains("30s").contains("RFC 3339");
                    });
        }
    }
}
