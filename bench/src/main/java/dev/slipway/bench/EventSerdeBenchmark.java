package dev.slipway.bench;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventJson;
import dev.slipway.events.StageRequested;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.kafka.EventSerializer;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What the CloudEvents envelope costs: events written and read per second through the contract's
 * Kafka serde (headers, validation, typed records) against the floor of the same data written and
 * read as plain JSON by the same Jackson mapper. Prints both rates and their ratio, measured in one
 * run. Run: {@code ./mvnw -q install -DskipTests && ./mvnw -q -pl bench exec:java}.
 */
public final class EventSerdeBenchmark {

    private static final int WARMUP_ROUNDS = 3;
    private static final int MEASURED_ROUNDS = 5;
    private static final int EVENTS_PER_ROUND = 100_000;

    private EventSerdeBenchmark() {
    }

    public static void main(String[] args) {
        Event<StageRequested> event = Event.start(URI.create("/slipway/bench"), new StageRequested(
                UUID.randomUUID().toString(), new AppRef("workspace", "bench-app"), "paketobuildpacks/builder:base",
                new AppSettings(2, true, List.of("bench.example.com", "example.com/bench"), "bench-app-env@4"),
                UUID.randomUUID().toString()));
        EventSerializer serializer = new EventSerializer();
        EventDeserializer deserializer = new EventDeserializer();

        double serde = 0;
        double plain = 0;
        for (int round = 0; round < WARMUP_ROUNDS + MEASURED_ROUNDS; round++) {
            double serdeRate = rate(() -> {
                Headers headers = new RecordHeaders();
                byte[] value = serializer.serialize(Topics.EVENTS, headers, event);
                return deserializer.deserialize(Topics.EVENTS, headers, value);
            });
            double plainRate = rate(() -> EventJson.mapper().readValue(
                    EventJson.mapper().writeValueAsBytes(event.data()), StageRequested.class));
            if (round >= WARMUP_ROUNDS) {
                serde += serdeRate / MEASURED_ROUNDS;
                plain += plainRate / MEASURED_ROUNDS;
            }
        }
        System.out.printf("events through the CloudEvents Kafka serde: %,.0f /s (write + read)%n", serde);
        System.out.printf("same data as plain JSON (the floor):        %,.0f /s%n", plain);
        System.out.printf("ratio serde / plain JSON: %.2f%n", serde / plain);
        System.out.printf("at the serde's rate one core handles %,.0f pushes/s of 12 events each%n", serde / 12);
    }

    private static double rate(java.util.function.Supplier<Object> roundTrip) {
        long start = System.nanoTime();
        Object last = null;
        for (int i = 0; i < EVENTS_PER_ROUND; i++) {
            last = roundTrip.get();
        }
        long elapsed = System.nanoTime() - start;
        if (last == null) {
            throw new IllegalStateException("round trip returned nothing");
        }
        return EVENTS_PER_ROUND / (elapsed / 1e9);
    }
}
