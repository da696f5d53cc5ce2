package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.kafka.EventCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Events as the API, SSE and webhooks show them: the CloudEvents JSON format. */
class StructuredJsonTest {

    @Test
    void everyEventTypeSurvivesTheJsonFormatWithItsAttributesAndExtensions() {
        for (EventData data : SampleEvents.all()) {
            Event<EventData> original = SampleEvents.event(data);
            Event<EventData> replayed = original.replay(SampleEvents.SOURCE, data);
            for (Event<EventData> event : java.util.List.of(original, replayed)) {
                byte[] json = EventCodec.toStructuredJson(event);
                assertThat(EventCodec.fromStructuredJson(json)).isEqualTo(event);
            }
        }
    }

    @Test
    void attributesAreTopLevelAndDataIsAnObject() {
        Event<EventData> event = SampleEvents.event(SampleEvents.all().get(1));
        JsonNode json = EventJson.mapper().readTree(EventCodec.toStructuredJson(event));
        assertThat(json.path("specversion").asString()).isEqualTo("1.0");
        assertThat(json.path("type").asString()).isEqualTo(event.type().type());
        assertThat(json.path("correlationid").asString()).isEqualTo(event.correlationId());
        assertThat(json.path("partitionkey").asString()).isEqualTo(event.key());
        assertThat(json.path("data").isObject()).isTrue();
        assertThat(json.path("data").path("blobUid").asString()).isEqualTo(event.key());
    }

    @Test
    void somethingElseIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> EventCodec.fromStructuredJson("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("type and data are required");
        assertThatThrownBy(() -> EventCodec.fromStructuredJson("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("not a CloudEvent");
    }
}
