package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.kafka.EventHeaders;
import dev.slipway.events.kafka.EventSerializer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The Kafka binding of the contract, byte for byte as a consumer in another service sees it. */
class EventSerdeTest {

    private static final String TOPIC = Topics.EVENTS;
    private final EventSerializer serializer = new EventSerializer();
    private final EventDeserializer deserializer = new EventDeserializer();

    static final List<String> REQUIRED_HEADERS = EventHeaders.REQUIRED;

    @ParameterizedTest
    @MethodSource("dev.slipway.events.EventSchemaTest#samples")
    void everyEventRoundTripsThroughTheSerde(EventData data) {
        Event<EventData> event = SampleEvents.event(data);
        Headers headers = new RecordHeaders();
        byte[] value = serializer.serialize(TOPIC, headers, event);

        assertThat(deserializer.deserialize(TOPIC, headers, value)).isEqualTo(event);
    }

    @Test
    void writesTheCloudEventsKafkaBindingHeadersByTheirExactNames() {
        Event<EventData> requested = SampleEvents.event(SampleEvents.all().get(1));
        Event<StageStarted> started = requested.next(SampleEvents.SOURCE,
                new StageStarted(SampleEvents.BLOB, SampleEvents.APP, "jib", null));
        Headers headers = new RecordHeaders();
        byte[] value = serializer.serialize(TOPIC, headers, started);

        Map<String, String> written = Arrays.stream(headers.toArray())
                .collect(Collectors.toMap(Header::key, header -> new String(header.value(), StandardCharsets.UTF_8)));
        assertThat(written).containsOnlyKeys("ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time",
                "ce_subject", "content-type", "ce_partitionkey", "ce_correlationid", "ce_causationid",
                "ce_namespace", "ce_app", "ce_traceparent", "ce_parentspanid");
        assertThat(written)
                .containsEntry("ce_id", started.id())
                .containsEntry("ce_source", "/slipway/test")
                .containsEntry("ce_type", "dev.slipway.stage.started.v1")
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_subject", "workspace/hello")
                .containsEntry("content-type", "application/json")
                .containsEntry("ce_partitionkey", SampleEvents.BLOB)
                .containsEntry("ce_correlationid", requested.id())
                .containsEntry("ce_causationid", requested.id())
                .containsEntry("ce_namespace", "workspace")
                .containsEntry("ce_app", "hello")
                .containsEntry("ce_traceparent", "00-" + requested.trace().traceId() + "-"
                        + started.trace().spanId() + "-01")
                .containsEntry("ce_parentspanid", requested.trace().spanId());
        // RFC 3339; the SDK drops trailing zeros of the fraction, so compare instants, not strings
        assertThat(java.time.OffsetDateTime.parse(written.get("ce_time")).toInstant())
                .isEqualTo(started.time().toInstant());
        assertThat(new String(value, StandardCharsets.UTF_8)).startsWith("{\"blobUid\":\"" + SampleEvents.BLOB);
    }

    @Test
    void theTraceRoundTripsWithTheCallersTracestate() {
        TraceContext caller = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "vendor=opaque").orElseThrow();
        Event<EventData> started = Event.start(SampleEvents.SOURCE, SampleEvents.all().get(1), caller);
        Headers headers = new RecordHeaders();
        Event<EventData> read = deserializer.deserialize(TOPIC, headers, serializer.serialize(TOPIC, headers, started));

        assertThat(read).isEqualTo(started);
        assertThat(read.trace().traceId()).isEqualTo(caller.traceId());
        assertThat(read.trace().parentId()).isEqualTo(caller.spanId());
        assertThat(header(headers, "ce_tracestate")).isEqualTo("vendor=opaque");
        assertThat(header(headers, "ce_traceparent")).isEqualTo(started.trace().traceparent());
    }

    @Test
    void readsARecordWrittenBeforeEventsCarriedATraceWithATraceDerivedFromThePush() {
        Event<EventData> requested = SampleEvents.event(SampleEvents.all().get(1));
        Event<EventData> started = requested.next(SampleEvents.SOURCE,
                new StageStarted(SampleEvents.BLOB, SampleEvents.APP, "jib", null));
        Event<EventData> oldRequested = readWithout(requested, EventHeaders.TRACEPARENT, EventHeaders.TRACESTATE,
                EventHeaders.PARENT_SPAN);
        Event<EventData> oldStarted = readWithout(started, EventHeaders.TRACEPARENT, EventHeaders.TRACESTATE,
                EventHeaders.PARENT_SPAN);

        assertThat(oldStarted.id()).isEqualTo(started.id());
        assertThat(oldStarted.data()).isEqualTo(started.data());
        assertThat(oldStarted.trace().traceId()).isEqualTo(requested.correlationId().replace("-", ""))
                .isEqualTo(oldRequested.trace().traceId());
        assertThat(oldStarted.trace().parentId()).isEqualTo(oldRequested.trace().spanId());
        // read twice, the same trace: a projection rebuilt from the log shows what it showed before
        assertThat(readWithout(started, EventHeaders.TRACEPARENT, EventHeaders.PARENT_SPAN)).isEqualTo(oldStarted);
    }

    @Test
    void aMalformedTraceOnARecordIsReplacedNeverRefused() {
        Event<EventData> requested = SampleEvents.event(SampleEvents.all().get(1));
        Headers headers = new RecordHeaders();
        byte[] value = serializer.serialize(TOPIC, headers, requested);
        headers.remove(EventHeaders.TRACEPARENT);
        headers.add(EventHeaders.TRACEPARENT, "00-00000000000000000000000000000000-0000000000000000-01"
                .getBytes(StandardCharsets.UTF_8));
        headers.add(EventHeaders.PARENT_SPAN, "NOT-A-SPAN".getBytes(StandardCharsets.UTF_8));

        Event<EventData> read = deserializer.deserialize(TOPIC, headers, value);

        assertThat(read.data()).isEqualTo(requested.data());
        assertThat(read.trace()).isEqualTo(TraceContext.derived(requested.correlationId(), requested.id(),
                requested.causationId()));
    }

    private Event<EventData> readWithout(Event<?> event, String... removed) {
        Headers headers = new RecordHeaders();
        byte[] value = serializer.serialize(TOPIC, headers, event);
        for (String name : removed) {
            headers.remove(name);
        }
        return deserializer.deserialize(TOPIC, headers, value);
    }

    @Test
    void aReplayedEventCarriesReplayOfAndKeepsThePush() {
        Event<EventData> original = SampleEvents.event(SampleEvents.all().get(1));
        Event<EventData> replayed = original.replay(SampleEvents.SOURCE, original.data());
        Headers headers = new RecordHeaders();
        Event<EventData> read = deserializer.deserialize(TOPIC, headers,
                serializer.serialize(TOPIC, headers, replayed));

        assertThat(header(headers, "ce_replayof")).isEqualTo(original.id());
        assertThat(read.replayOf()).isEqualTo(original.id());
        assertThat(read.correlationId()).isEqualTo(original.correlationId());
        assertThat(read.id()).isNotEqualTo(original.id());
        // the same push is the same trace; the replay is a span of its own beside the original
        assertThat(read.trace().traceId()).isEqualTo(original.trace().traceId());
        assertThat(read.trace().spanId()).isNotEqualTo(original.trace().spanId());
        assertThat(read.trace().parentId()).isEqualTo(original.trace().parentId());
    }

    @ParameterizedTest
    @FieldSource("REQUIRED_HEADERS")
    void rejectsARecordMissingARequiredAttribute(String missing) {
        Headers headers = new RecordHeaders();
        byte[] value = serializer.serialize(TOPIC, headers, SampleEvents.event(SampleEvents.all().get(0)));
        headers.remove(missing);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, headers, value))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("lacks the header(s) " + missing);
    }

    @Test
    void rejectsAnUnknownTypeNamingTheKnownOnes() {
        Headers headers = new RecordHeaders();
        byte[] value = serializer.serialize(TOPIC, headers, SampleEvents.event(SampleEvents.all().get(0)));
        headers.remove("ce_type").add("ce_type", "dev.slipway.blob.deleted.v9".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, headers, value))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("unknown event type 'dev.slipway.blob.deleted.v9'")
                .hasMessageContaining("dev.slipway.blob.uploaded.v1");
    }

    @Test
    void rejectsDataThatDoesNotFitItsTypeNamingTheField() {
        Headers headers = new RecordHeaders();
        serializer.serialize(TOPIC, headers, SampleEvents.event(SampleEvents.all().get(3)));
        byte[] withoutBlobUid = "{\"app\":{\"namespace\":\"workspace\",\"name\":\"hello\"}}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, headers, withoutBlobUid))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("dev.slipway.stage.started.v1")
                .hasMessageContaining("blobUid is required");
    }

    @Test
    void rejectsAPartitionKeyThatIsNotTheBlobUid() {
        Headers headers = new RecordHeaders();
        byte[] value = serializer.serialize(TOPIC, headers, SampleEvents.event(SampleEvents.all().get(0)));
        headers.remove("ce_partitionkey").add("ce_partitionkey", "another".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, headers, value))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("extension partitionkey is 'another' but data.blobUid is '" + SampleEvents.BLOB);
    }

    @Test
    void aMissingNumberIsNamedByItsField() {
        Headers headers = new RecordHeaders();
        serializer.serialize(TOPIC, headers, SampleEvents.event(SampleEvents.all().get(0)));
        byte[] withoutSize = ("{\"blobUid\":\"" + SampleEvents.BLOB + "\",\"app\":{\"namespace\":\"workspace\","
                + "\"name\":\"hello\"},\"username\":\"alice\",\"sha256\":\"00\",\"format\":\"zip\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, headers, withoutSize))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("at sizeBytes:");
    }

    @Test
    void rejectsBytesThatAreNotJson() {
        Headers headers = new RecordHeaders();
        serializer.serialize(TOPIC, headers, SampleEvents.event(SampleEvents.all().get(0)));

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, headers, "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("does not fit its schema");
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
