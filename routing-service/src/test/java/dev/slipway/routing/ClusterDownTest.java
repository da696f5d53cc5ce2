package dev.slipway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.RoutesFailed;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.DeadLetterErrorHandling;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With the Kubernetes API gone, routing is retried, then fails as CLUSTER_UNAVAILABLE and its input is dead-lettered. */
@SpringBootTest(properties = {"spring.config.name=routing-service", "server.port=0",
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "slipway.routing.attempts=3",
        "slipway.routing.retry-wait=100ms"})
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
class ClusterDownTest {

    /**
     * This context's own broker: the system property names the broker of whichever context started
     * last, which is another class's once contexts are cached and reused.
     */
    @org.springframework.beans.factory.annotation.Autowired
    EmbeddedKafkaBroker embeddedKafka;

    @DynamicPropertySource
    static void deadCluster(DynamicPropertyRegistry registry) throws Exception {
        String kubeconfig = KubernetesMocks.unreachableKubeconfig().toString();
        registry.add("slipway.routing.kubeconfig", () -> kubeconfig);
    }

    @Test
    void anUnreachableClusterFailsRoutingAsRetryableAndDeadLettersItsInput() {
        try (EventLog log = new EventLog(embeddedKafka.getBrokersAsString())) {
            AppRef app = new AppRef("workspace", "offline");
            Event<AppDeployed> deployed = log.publish(Event.start(URI.create("/slipway/deploy-service"),
                    new AppDeployed(UUID.randomUUID().toString(), app, null, "img:1", 1, 1, 1,
                            new AppSettings(1, true, List.of("offline.example.com"), null))));

            RoutesFailed failure = (RoutesFailed) log.awaitEvent(deployed.correlationId(), EventType.ROUTES_FAILED,
                    Duration.ofSeconds(60)).data();

            assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.CLUSTER_UNAVAILABLE);
            assertThat(failure.failure().retryable()).isTrue();
            assertThat(failure.failure().message()).contains("replay the push");
            assertThat(failure.deployed()).isEqualTo(deployed.data());
            try (var deadLetters = log.topic(Topics.deadLetter("routing-service"))) {
                var dead = deadLetters.await(record -> deployed.data().blobUid().equals(record.key()),
                        Duration.ofSeconds(30));
                assertThat(log.decode(dead)).isEqualTo(deployed);
                assertThat(EventLog.header(dead, DeadLetterErrorHandling.REASON_HEADER))
                        .startsWith("CLUSTER_UNAVAILABLE");
            }
        }
    }
}
