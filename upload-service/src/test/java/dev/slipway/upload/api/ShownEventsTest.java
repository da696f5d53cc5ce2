package dev.slipway.upload.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.BuildSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Failure;
import dev.slipway.events.PushQueued;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.kafka.EventCodec;
import dev.slipway.events.secrets.SecretBox;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What webhooks, SSE and the push views are given: build env names, never the values, sealed or not. */
class ShownEventsTest {

    private static final URI SOURCE = URI.create("/slipway/upload-service");
    private final String sealed = new SecretBox("shown-events-test-key-0123456789abcdef").seal("p4ssw0rd");
    private final StageRequested request = new StageRequested(UUID.randomUUID().toString(), new AppRef("team-a", "shop"),
            null, AppSettings.defaults(), null, new BuildSettings(Map.of("TOKEN", sealed), true, "Dockerfile"));

    private String shownJson(EventData data) {
        Event<EventData> event = ShownEvents.shown(Event.start(SOURCE, data));
        return new String(EventCodec.toStructuredJson(event), StandardCharsets.UTF_8);
    }

    @Test
    void everyEventThatCarriesAStageRequestShowsItsBuildEnvNamesOnly() {
        for (EventData data : new EventData[] {request, new PushQueued(request.blobUid(), request.app(), request),
                StageFailed.of(request, StageStep.BUILD, new Failure(ReasonCodes.BUILD_FAILED, "failed", false))}) {
            String json = shownJson(data);
            assertThat(json).as(data.getClass().getSimpleName()).contains("\"TOKEN\":\"v1:hidden\"",
                    "\"noCache\":true", "\"dockerfile\":\"Dockerfile\"").doesNotContain(sealed);
        }
    }

    @Test
    void theEventKeepsItsIdsAndOtherEventsAreUnchanged() {
        Event<StageRequested> original = Event.start(SOURCE, request);
        Event<EventData> shown = ShownEvents.shown(original);
        Event<StageRequested> plain = Event.start(SOURCE, new StageRequested(request.blobUid(), request.app(), null,
                AppSettings.defaults(), null));

        assertThat(shown.id()).isEqualTo(original.id());
        assertThat(shown.correlationId()).isEqualTo(original.correlationId());
        assertThat(ShownEvents.shown(plain)).isEqualTo(plain);
    }
}
