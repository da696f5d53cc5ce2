package dev.slipway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.DeployFailed;
import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageSucceeded;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.DeadLetterErrorHandling;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With the Kubernetes API gone, the deploy fails as CLUSTER_UNAVAILABLE, retryable, and its input is dead-lettered. */
@SpringBootTest(properties = {"spring.config.name=deploy-service", "server.port=0",
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "slipway.deploy.attempts=2",
        "slipway.deploy.retry-wait=100ms", "slipway.deploy.helm-timeout=20s",
        "slipway.secrets.key=cluster-down-secrets-key-0123456789abc"})
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
        Path file = KubernetesMocks.unreachableKubeconfig();
        registry.add("slipway.deploy.kubeconfig", file::toString);
    }

    @Test
    void anUnreachableClusterFailsTheDeployAsRetryableAndDeadLettersItsInput() {
        try (EventLog log = new EventLog(embeddedKafka.getBrokersAsString())) {
            AppRef app = new AppRef("workspace", "offline");
            String blobUid = UUID.randomUUID().toString();
            Event<StageRequested> request = Event.start(URI.create("/slipway/upload-service"), new StageRequested(
                    blobUid, app, null, AppSettings.defaults(), null));
            Event<StageSucceeded> staged = log.publish(request.next(URI.create("/slipway/staging-service"),
                    new StageSucceeded(blobUid, app, request.id(), "img:1", "sha256:" + "ef".repeat(32), "static",
                            Map.of(), new AppSettings(1, true, List.of(), null))));

            DeployFailed failure = (DeployFailed) log.awaitEvent(request.id(), EventType.DEPLOY_FAILED,
                    Duration.ofSeconds(90)).data();

            assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.CLUSTER_UNAVAILABLE);
            assertThat(failure.failure().retryable()).isTrue();
            assertThat(failure.request().image()).isEqualTo("img:1");
            try (var deadLetters = log.topic(Topics.deadLetter("deploy-service"))) {
                var dead = deadLetters.await(record -> blobUid.equals(record.key()), Duration.ofSeconds(30));
                assertThat(log.decode(dead)).isEqualTo(staged);
                assertThat(EventLog.header(dead, DeadLetterErrorHandling.REASON_HEADER))
                        .startsWith("CLUSTER_UNAVAILABLE");
            }
        }
    }
}
