package dev.slipway.upload.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.StageRequested;
import dev.slipway.events.Topics;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.events.spring.PartStatus;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.kafka.FailingPolls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.springframework.util.unit.DataSize;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Webhook workers on a real broker whose consumers break down: a worker that dies is replaced after
 * a back-off, and the event it was delivering still arrives; a subscription with no worker and none
 * coming is reported stopped (the consumers health check is DOWN).
 */
@EmbeddedKafka(partitions = 1, topics = {Topics.EVENTS, SubscriptionStore.TOPIC, DeliveryLog.TOPIC})
class WebhookWorkersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final SecretBox SECRETS = new SecretBox("test-secrets-key-0123456789abcdefghijklmnop");
    private static final WebhookProperties PROPERTIES = new WebhookProperties(Duration.ofMillis(500),
            Duration.ofSeconds(2), Duration.ofSeconds(5), DataSize.ofKilobytes(64), 4, 2, 20, List.of("127.0.0.1/32"));

    private final Queue<String> received = new ConcurrentLinkedQueue<>();
    private HttpServer target;
    private KafkaProducer<String, byte[]> producer;
    private EventLog log;
    private SubscriptionStore subscriptions;
    private WebhookWorkers workers;

    @BeforeEach
    void start(EmbeddedKafkaBroker broker) throws IOException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        target.start();
        Map<String, Object> kafka = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, FailingPolls.class.getName());
        producer = new KafkaProducer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(), new ByteArraySerializer());
        log = new EventLog(broker.getBrokersAsString());
        subscriptions = new SubscriptionStore(producer);
        DeliveryLog deliveries = new DeliveryLog(producer);
        workers = new WebhookWorkers(subscriptions, deliveries, new DeliveryWorkerFactory(kafka, SECRETS, PROPERTIES,
                new WebhookTargets(PROPERTIES.addressPolicy(), HostResolver.SYSTEM), deliveries), PROPERTIES);
    }

    @AfterEach
    void stop() throws InterruptedException {
        workers.close();
        log.close();
        producer.close();
        target.stop(0);
    }

    @Test
    void aWorkerWhoseConsumerDiesIsReplacedAfterABackOffAndTheEventStillArrives() {
        Subscription subscription = subscription(SECRETS.seal("a-webhook-secret-of-enough-length"));
        subscriptions.create(subscription);
        FailingPolls.failNext("webhook-" + subscription.id(), 2);
        workers.caughtUp();

        Event<StageRequested> event = log.publish(Event.start(URI.create("/slipway/test"), new StageRequested(
                UUID.randomUUID().toString(), new AppRef("workspace", "hooked"), null, AppSettings.defaults(), null)));

        // the second death waits longer than the first; meanwhile the subscription is restarting, not down
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> workers.partStatuses().stream()
                .anyMatch(status -> status.up() && status.detail().contains("after 2 death(s) in a row")
                        && status.detail().contains("OutOfMemoryError: test: the consumer webhook-")));
        await().atMost(TIMEOUT).until(() -> received.stream().anyMatch(body -> body.contains(event.id())));
        assertThat(FailingPolls.left("webhook-" + subscription.id())).isZero();
        assertThat(workers.partStatuses()).containsExactly(PartStatus.running("webhook " + subscription.id()));
    }

    @Test
    void aSubscriptionWithNoWorkerAndNoneComingIsStopped() {
        Subscription unopenable = subscription(new SecretBox("another-secrets-key-0123456789abcdefghijk")
                .seal("a-webhook-secret-of-enough-length"));
        subscriptions.create(unopenable);

        workers.caughtUp();

        assertThat(workers.partStatuses()).singleElement().satisfies(status -> {
            assertThat(status.part()).isEqualTo("webhook " + unopenable.id());
            assertThat(status.up()).isFalse();
            assertThat(status.detail()).startsWith("no worker: ");
        });
    }

    /** Subscriptions do not bring threads of their own: all of them step on the shared, bounded pool. */
    @Test
    void manySubscriptionsAreDeliveredByTheSharedBoundedPool() {
        List<Subscription> many = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Subscription subscription = subscription(SECRETS.seal("a-webhook-secret-of-enough-length"));
            subscriptions.create(subscription);
            many.add(subscription);
        }
        workers.caughtUp();

        Event<StageRequested> event = log.publish(Event.start(URI.create("/slipway/test"), new StageRequested(
                UUID.randomUUID().toString(), new AppRef("workspace", "many"), null, AppSettings.defaults(), null)));

        await().atMost(TIMEOUT).until(() -> received.stream().filter(body -> body.contains(event.id())).count()
                == many.size());
        List<String> threads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
        assertThat(threads.stream().filter(name -> name.startsWith("webhook-steps-")))
                .hasSizeBetween(1, PROPERTIES.deliveryThreads());
        assertThat(threads).noneMatch(name -> many.stream().anyMatch(each -> name.equals("webhook-" + each.id())));
    }

    private Subscription subscription(String sealedSecret) {
        String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/hook";
        return new Subscription(UUID.randomUUID().toString(), SECRETS.seal(url), RedactedUrl.of(url), List.of("*"),
                null, null, sealedSecret, Subscription.FROM_EARLIEST, Instant.now());
    }
}
