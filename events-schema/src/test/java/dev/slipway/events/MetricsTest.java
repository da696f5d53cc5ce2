package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void aReasonTagIsADeclaredReasonCodeOrOtherSoTagsStayBounded() {
        assertThat(Metrics.reason(ReasonCodes.BUILD_FAILED)).isEqualTo("BUILD_FAILED");
        assertThat(Metrics.reason(ReasonCodes.ROUTE_INVALID)).isEqualTo("ROUTE_INVALID");
        assertThat(Metrics.reason(null)).isEqualTo(Metrics.NO_REASON);
        // whatever an event carries, it cannot mint a new series
        assertThat(Metrics.reason("push 7f3c failed for app shop")).isEqualTo(Metrics.OTHER_REASON);
        assertThat(Metrics.reason("build_failed")).isEqualTo(Metrics.OTHER_REASON);
    }

    @Test
    void aStatusTagIsTheClassOfTheAnswer() {
        assertThat(Metrics.statusClass(200)).isEqualTo("2xx");
        assertThat(Metrics.statusClass(204)).isEqualTo("2xx");
        assertThat(Metrics.statusClass(410)).isEqualTo("4xx");
        assertThat(Metrics.statusClass(503)).isEqualTo("5xx");
        assertThat(Metrics.statusClass(0)).isEqualTo(Metrics.NO_STATUS);
        assertThat(Metrics.statusClass(999)).isEqualTo(Metrics.NO_STATUS);
    }

    @Test
    void prometheusNamesAreTheDottedNamesWithUnderscores() {
        assertThat(Metrics.prometheusName(Metrics.STAGE_DURATION)).isEqualTo("slipway_stage_duration");
        assertThat(Metrics.prometheusName(Metrics.CONSUMER_LAG)).isEqualTo("kafka_consumer_fetch_manager_records_lag_max");
        assertThat(Metrics.ALL).doesNotHaveDuplicates().allMatch(name -> name.matches("[a-z][a-z.]*[a-z]"));
    }
}
