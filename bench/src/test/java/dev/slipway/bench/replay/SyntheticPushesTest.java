package dev.slipway.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.kafka.EventSerializer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class SyntheticPushesTest {

    private static final OffsetDateTime END = OffsetDateTime.of(2026, 12, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    private final EventSerializer serializer = new EventSerializer();
    private final EventDeserializer deserializer = new EventDeserializer();

    @Test
    void pushesAreFiveValidEventsOfOnePushThatReadBackAsWritten() {
        SyntheticPushes pushes = new SyntheticPushes(500, 20, 2000, 7, END);
        for (int i = 0; i < pushes.pushes(); i++) {
            List<Event<? extends EventData>> push = pushes.push(i);
            assertThat(push).extracting(Event::type).containsExactly(EventType.STAGE_REQUESTED,
                    EventType.STAGE_STARTED, EventType.STAGE_SUCCEEDED, EventType.APP_DEPLOYED, EventType.ROUTES_READY);
            String pushId = push.get(0).id();
            for (int j = 0; j < push.size(); j++) {
                Event<? extends EventData> event = push.get(j);
                assertThat(event.correlationId()).isEqualTo(pushId);
                // well within the event log's default retention of seven days, as in a real log
                assertThat(event.time()).isBetween(END.minusDays(3), END.plusMinutes(3));
                assertThat(event.key()).isEqualTo(push.get(0).key());
                if (j > 0) {
                    assertThat(event.causationId()).isEqualTo(push.get(j - 1).id());
                    assertThat(event.time()).isAfter(push.get(j - 1).time());
                }
                RecordHeaders headers = new RecordHeaders();
                byte[] value = serializer.serialize(Topics.EVENTS, headers, event);
                assertThat(deserializer.deserialize(Topics.EVENTS, headers, value)).isEqualTo(event);
            }
        }
    }

    @Test
    void recordsAreAboutOneKilobyteOverTwentyNamespacesAndTheirApps() {
        SyntheticPushes pushes = new SyntheticPushes(4000, 20, 2000, 1, END);
        long bytes = 0;
        long events = 0;
        Set<String> namespaces = new HashSet<>();
        Set<String> apps = new HashSet<>();
        for (int i = 0; i < pushes.pushes(); i++) {
            for (Event<? extends EventData> event : pushes.push(i)) {
                RecordHeaders headers = new RecordHeaders();
                bytes += event.key().length() + serializer.serialize(Topics.EVENTS, headers, event).length;
                for (Header header : headers) {
                    bytes += header.key().length() + header.value().length;
                }
                events++;
                namespaces.add(event.namespace());
                apps.add(event.subject());
            }
        }
        assertThat(bytes / events).as("bytes per record").isBetween(900L, 1200L);
        assertThat(namespaces).containsExactlyInAnyOrderElementsOf(pushes.namespaces()).hasSize(20);
        // 4000 pushes to random apps of 2000 reach about 2000 * (1 - e^-2) = 1729 of them
        assertThat(apps).hasSizeBetween(1650, 2000)
                .allMatch(app -> app.matches("product-team-\\d\\d/service-app-\\d{4}"));
    }

    @Test
    void theSameSeedWritesTheSameLog() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        SyntheticPushes one = new SyntheticPushes(50, 20, 2000, 3, END);
        SyntheticPushes other = new SyntheticPushes(50, 20, 2000, 3, END);
        for (int i = 0; i < 50; i++) {
            one.push(i).forEach(event -> first.add(event.toString()));
            other.push(i).forEach(event -> second.add(event.toString()));
        }
        assertThat(first).isEqualTo(second);
        assertThat(new SyntheticPushes(50, 20, 2000, 4, END).push(0).get(0).id()).isNotEqualTo(
                new SyntheticPushes(50, 20, 2000, 3, END).push(0).get(0).id());
    }
}
