package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventTypeGlobTest {

    @Test
    void globsNameTypesByFamilyOrExactly() {
        assertThat(EventType.matching("dev.slipway.stage.*")).containsExactlyInAnyOrder(EventType.STAGE_REQUESTED,
                EventType.STAGE_STARTED, EventType.STAGE_STEP, EventType.STAGE_LOG,
                EventType.STAGE_SUCCEEDED, EventType.STAGE_FAILED);
        assertThat(EventType.matching("*failed*")).containsExactlyInAnyOrder(EventType.STAGE_FAILED,
                EventType.DEPLOY_FAILED, EventType.ROUTES_FAILED);
        assertThat(EventType.matching("dev.slipway.routes.ready.v1")).containsExactly(EventType.ROUTES_READY);
        assertThat(EventType.matching("*")).hasSize(EventType.values().length);
    }

    @Test
    void aGlobThatNamesNothingIsRefused() {
        assertThatThrownBy(() -> EventType.matching("dev.slipway.stage")).hasMessageContaining("names no event type");
        assertThatThrownBy(() -> EventType.matching("dev.slipway.stage.(.*")).hasMessageContaining("names no");
    }
}
