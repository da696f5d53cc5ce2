package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventTest {

    private final StageRequested request = new StageRequested(SampleEvents.BLOB, SampleEvents.APP, null,
            AppSettings.defaults(), null);

    @Test
    void theFirstEventOfARunIsItsOwnPushIdAndCause() {
        Event<StageRequested> started = Event.start(SampleEvents.SOURCE, request);

        assertThat(started.correlationId()).isEqualTo(started.id());
        assertThat(started.causationId()).isEqualTo(started.id());
        assertThat(started.key()).isEqualTo(SampleEvents.BLOB);
        assertThat(started.type()).isEqualTo(EventType.STAGE_REQUESTED);
    }

    @Test
    void aCausedEventKeepsThePushAndNamesItsCause() {
        Event<StageRequested> requested = Event.start(SampleEvents.SOURCE, request);
        Event<StageStarted> started = requested.next(SampleEvents.SOURCE,
                new StageStarted(SampleEvents.BLOB, SampleEvents.APP, "jib", null));

        assertThat(started.correlationId()).isEqualTo(requested.id());
        assertThat(started.causationId()).isEqualTo(requested.id());
        assertThat(started.id()).isNotEqualTo(requested.id());
    }

    @Test
    void aCausedEventMayNotMoveToAnotherBlob() {
        Event<StageRequested> requested = Event.start(SampleEvents.SOURCE, request);
        String otherBlob = UUID.randomUUID().toString();

        assertThatThrownBy(() -> requested.next(SampleEvents.SOURCE,
                new StageStarted(otherBlob, SampleEvents.APP, "jib", null)))
                .hasMessageContaining("must keep blob uid " + SampleEvents.BLOB);
    }

    @Test
    void namesThatCannotBeKubernetesNamesAreRefusedWithAHint() {
        assertThatThrownBy(() -> new AppRef("workspace", "My_App"))
                .hasMessageContaining("app name 'My_App' is not a valid DNS-1123 label")
                .hasMessageContaining("lower-case letters, digits and '-'");
        assertThatThrownBy(() -> new AppRef("x".repeat(64), "app")).hasMessageContaining("namespace");
        assertThat(new AppRef("workspace", "my-app-2").toString()).isEqualTo("workspace/my-app-2");
    }

    @Test
    void blobUidsMustBeCanonicalUuids() {
        assertThatThrownBy(() -> new RoutesReady("../../etc", SampleEvents.APP, null))
                .hasMessageContaining("blobUid '../../etc' is not a lower-case UUID");
        assertThatThrownBy(() -> new RoutesReady(SampleEvents.BLOB.toUpperCase(), SampleEvents.APP, null))
                .hasMessageContaining("not a lower-case UUID");
    }

    @Test
    void unknownTypesAreNamedInTheError() {
        assertThatThrownBy(() -> EventType.of("dev.slipway.nope.v1"))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("unknown event type 'dev.slipway.nope.v1'");
    }
}
