package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.StageAttempt;
import dev.slipway.events.StageRequested;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventSerializer;
import dev.slipway.events.spring.DeadLetterErrorHandling;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.kafka.TopicReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Dead letters as the services' error handling writes them, listed and sent back through the API:
 * once each, by admins, into namespaces they administer, never a record that is not an event.
 */
class DeadLettersApiTest extends UploadServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final URI UPLOAD = URI.create("/slipway/upload-service");
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    void openProducer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void closeProducer() {
        producer.close();
    }

    @Test
    void anAdminListsDeadLettersWithWhyAndRedrivesOneOnceAsTheOriginalRecord() {
        String service = service();
        Event<StageRequested> push = stageRequest("workspace");
        String id = deadLetter(service, push, "REGISTRY_UNAVAILABLE: registry did not answer");
        log.markUnfinishedAttempts(service, push, 2);

        JsonNode listed = only(as("admin").get("/api/v1/dead-letters?service=" + service).body());
        assertThat(listed.path("id").asString()).isEqualTo(id);
        assertThat(listed.path("service").asString()).isEqualTo(service);
        assertThat(listed.path("topic").asString()).isEqualTo(Topics.deadLetter(service));
        assertThat(listed.path("eventId").asString()).isEqualTo(push.id());
        assertThat(listed.path("type").asString()).isEqualTo("dev.slipway.stage.requested.v1");
        assertThat(listed.path("app").asString()).isEqualTo("workspace/" + push.data().app().name());
        assertThat(listed.path("reason").asString()).startsWith("REGISTRY_UNAVAILABLE");
        assertThat(listed.path("redrivable").asBoolean()).isTrue();
        assertThat(listed.has("redriven")).isFalse();

        ApiClient.Reply redriven = as("admin").post("/api/v1/dead-letters/redrive",
                Map.of("service", service, "ids", List.of(id)));

        assertThat(redriven.status()).isEqualTo(200);
        assertThat(redriven.body().path("redriven").values()).extracting(JsonNode::asString).containsExactly(id);
        ConsumerRecord<String, byte[]> back = log.awaitRecord(record -> push.key().equals(record.key())
                && EventLog.header(record, DeadLetterErrorHandling.REASON_HEADER) == null, TIMEOUT);
        assertThat(log.decode(back)).isEqualTo(push);
        assertThat(EventLog.header(back, "ce_id")).isEqualTo(push.id());
        try (TopicReader attempts = log.topic(Topics.STAGE_ATTEMPTS)) {
            attempts.await(record -> StageAttempt.key(service, push.id()).equals(record.key())
                    && record.value() == null, TIMEOUT);
        }
        // the same letter again, by id or with all of them: already redriven, not sent twice
        ApiClient.Reply again = as("admin").post("/api/v1/dead-letters/redrive", Map.of("service", service,
                "ids", List.of(id)));
        assertThat(again.body().path("redriven").values()).isEmpty();
        assertThat(again.body().path("skipped").path(id).asString()).contains("already redriven", "by admin");
        assertThat(as("admin").post("/api/v1/dead-letters/redrive", Map.of("service", service, "all", true))
                .body().path("redriven").values()).isEmpty();
        assertThat(log.awaitRecord(record -> push.key().equals(record.key()), TIMEOUT)).isNotNull();
        assertThat(log.eventsOf(push.id()).stream().filter(event -> event.id().equals(push.id()))).hasSize(1);
        JsonNode marked = only(as("admin").get("/api/v1/dead-letters?service=" + service).body());
        assertThat(marked.path("redriven").path("by").asString()).isEqualTo("admin");
    }

    @Test
    void aPoisonRecordIsListedButRefusedForRedrive() {
        String service = service();
        String poison = send(service, "no-event".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(
                StandardCharsets.UTF_8), new RecordHeaders().add(DeadLetterErrorHandling.REASON_HEADER,
                "not a Slipway event".getBytes(StandardCharsets.UTF_8)));
        String good = deadLetter(service, stageRequest("workspace"), "STAGE_CRASHED");

        JsonNode listed = as("admin").get("/api/v1/dead-letters?service=" + service).body();
        JsonNode poisonShown = listed.values().stream().filter(letter -> letter.path("id").asString().equals(poison))
                .findFirst().orElseThrow();
        assertThat(poisonShown.path("redrivable").asBoolean()).isFalse();
        assertThat(poisonShown.path("unreadable").asString()).contains("lacks the header");
        ApiClient.Reply refused = as("admin").post("/api/v1/dead-letters/redrive", Map.of("service", service,
                "ids", List.of(poison, good)));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.error()).contains("cannot be redriven", "not a readable Slipway event");
        // all: the event goes, the poison record is named with why it stays
        ApiClient.Reply all = as("admin").post("/api/v1/dead-letters/redrive", Map.of("service", service,
                "all", true));
        assertThat(all.body().path("redriven").values()).extracting(JsonNode::asString).containsExactly(good);
        assertThat(all.body().path("skipped").path(poison).asString()).contains("not a readable Slipway event");
    }

    @Test
    void onlyAdminsSeeDeadLettersAndANamespaceAdminOnlyThoseOfItsNamespace() {
        String service = service();
        String ours = deadLetter(service, stageRequest("workspace"), "REGISTRY_UNAVAILABLE");
        String theirs = deadLetter(service, stageRequest("other"), "REGISTRY_UNAVAILABLE");

        assertThat(as("alice").get("/api/v1/dead-letters").status()).isEqualTo(403);
        ApiClient.Reply alice = as("alice").post("/api/v1/dead-letters/redrive", Map.of("service", service,
                "ids", List.of(ours)));
        assertThat(alice.status()).isEqualTo(403);
        assertThat(alice.error()).contains("for admins");
        assertThat(anonymous().get("/api/v1/dead-letters").status()).isEqualTo(401);
        assertThat(as("carol").get("/api/v1/dead-letters?service=" + service).body().values())
                .extracting(letter -> letter.path("id").asString()).containsExactly(ours);
        ApiClient.Reply intoOther = as("carol").post("/api/v1/dead-letters/redrive", Map.of("service", service,
                "ids", List.of(theirs)));
        assertThat(intoOther.status()).isEqualTo(403);
        assertThat(intoOther.error()).contains("nothing was redriven");
        // all, for carol, is all of her namespace's
        assertThat(as("carol").post("/api/v1/dead-letters/redrive", Map.of("service", service, "all", true)).body()
                .path("redriven").values()).extracting(JsonNode::asString).containsExactly(ours);
        assertThat(as("admin").get("/api/v1/dead-letters?service=" + service).body().values().stream()
                .filter(letter -> letter.path("id").asString().equals(theirs)).findFirst().orElseThrow()
                .has("redriven")).isFalse();
    }

    @Test
    void garbageIsRefusedWith400Json() {
        String service = service();
        String id = deadLetter(service, stageRequest("workspace"), "x");
        String redrive = "/api/v1/dead-letters/redrive";

        assertThat(as("admin").get("/api/v1/dead-letters?service=../../etc").status()).isEqualTo(400);
        assertBadRequest(as("admin").post(redrive, Map.of("service", service, "ids", List.of("../0"))), "not a dead letter id");
        assertBadRequest(as("admin").post(redrive, Map.of("service", service, "ids", List.of("1-2; DROP"))), "not a dead letter id");
        assertBadRequest(as("admin").post(redrive, Map.of("service", "Staging Service", "all", true)), "not a service name");
        assertBadRequest(as("admin").post(redrive, Map.of("service", service)), "either \"ids\"");
        assertBadRequest(as("admin").post(redrive, Map.of("service", service, "ids", List.of(id), "all", true)),
                "either \"ids\"");
        assertBadRequest(as("admin").post(redrive, Map.of("ids", List.of(id))), "name the service");
        assertBadRequest(as("admin").post(redrive, Map.of("service", service, "ids", Map.of("a", 1))), "");
        assertThat(as("admin").post(redrive, Map.of("service", service, "ids", List.of("0-999999"))).status())
                .isEqualTo(404);
        assertThat(as("admin").post(redrive, Map.of("service", "no-such-service", "ids", List.of("0-1"))).status())
                .isEqualTo(404);
        // asking about a service that never gave up makes no topic for it
        String quiet = service();
        assertThat(as("admin").get("/api/v1/dead-letters?service=" + quiet).body().values()).isEmpty();
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
                broker.getBrokersAsString()))) {
            assertThat(admin.listTopics().names().get()).doesNotContain(Topics.deadLetter(quiet));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertBadRequest(ApiClient.Reply reply, String message) {
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().path("errors").path(0).path("status").asInt()).isEqualTo(400);
        assertThat(reply.error()).contains(message);
    }

    private static JsonNode only(JsonNode list) {
        assertThat(list.values()).hasSize(1);
        return list.get(0);
    }

    private static String service() {
        return "svc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Event<StageRequested> stageRequest(String namespace) {
        return Event.start(UPLOAD, new StageRequested(UUID.randomUUID().toString(), new AppRef(namespace,
                AppsApiTest.uniqueName("dead")), null, AppSettings.defaults(), null));
    }

    /** A dead letter as the recoverer writes it: the original record, its partition, and why. */
    private String deadLetter(String service, Event<?> event, String reason) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = new EventSerializer().serialize(Topics.EVENTS, headers, event);
        headers.add("kafka_dlt-original-topic", Topics.EVENTS.getBytes(StandardCharsets.UTF_8));
        headers.add("kafka_dlt-original-partition", ByteBuffer.allocate(Integer.BYTES).putInt(1).array());
        headers.add(DeadLetterErrorHandling.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        return send(service, event.key().getBytes(StandardCharsets.UTF_8), value, headers);
    }

    private String send(String service, byte[] key, byte[] value, org.apache.kafka.common.header.Headers headers) {
        try {
            RecordMetadata sent = producer.send(new ProducerRecord<>(Topics.deadLetter(service), null, key, value,
                    headers)).get();
            return sent.partition() + "-" + sent.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
