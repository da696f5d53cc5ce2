package dev.slipway.deploy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.EventJson;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.secrets.SecretBox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import dev.slipway.events.kafka.RecordChain;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class AppConfigurationsTest {

    private static final SecretBox SECRETS = new SecretBox("s".repeat(40));
    private static final AppRef APP = new AppRef("workspace", "shop");

    @Test
    void aDeployWaitsForTheConfigurationVersionItNamesToArrive() throws Exception {
        AppConfigurations configurations = new AppConfigurations(SECRETS, Duration.ofSeconds(30));
        configurations.apply(record(1, "old"));
        CountDownLatch asking = new CountDownLatch(1);

        CompletableFuture<Map<String, String>> env = CompletableFuture.supplyAsync(() -> {
            asking.countDown();
            try {
                return configurations.env(APP, "workspace/shop@2");
            } catch (DeployFailure failure) {
                throw new IllegalStateException(failure);
            }
        });
        assertThat(asking.await(10, TimeUnit.SECONDS)).isTrue();
        // the change's new version is read from slipway.apps after its deploy request was taken
        configurations.apply(record(2, "new"));

        assertThat(env.get(10, TimeUnit.SECONDS)).containsEntry("MODE", "new");
    }

    @Test
    void aVersionThatNeverArrivesFailsRetryablyOnceTheWaitIsOver() {
        AppConfigurations configurations = new AppConfigurations(SECRETS, Duration.ofMillis(200));
        configurations.apply(record(1, "old"));

        assertThatThrownBy(() -> configurations.env(APP, "workspace/shop@3")).isInstanceOfSatisfying(
                DeployFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(ReasonCodes.RELEASE_NOT_FOUND);
                    assertThat(failure.getMessage()).contains("replay the push");
                });
    }

    @Test
    void aVersionWrittenFromAStaleCopyOfTheAppIsNotTheOneDeployed() throws Exception {
        AppConfigurations configurations = new AppConfigurations(SECRETS, Duration.ofMillis(200));
        configurations.apply(chained(0, 1, "created", -1));
        configurations.apply(chained(1, 2, "won", 0));
        // another replica's change, computed from version 1 too: upload-service ignores it, and so does a deploy
        configurations.apply(chained(2, 2, "lost", 0));

        assertThat(configurations.env(APP, "workspace/shop@2")).containsEntry("MODE", "won");
    }

    private static ConsumerRecord<String, byte[]> chained(long offset, int version, String mode, long basedOn) {
        ConsumerRecord<String, byte[]> record = record(version, mode);
        ProducerRecord<String, byte[]> written = RecordChain.basedOn(
                new ProducerRecord<>(record.topic(), record.key(), record.value()), basedOn);
        return new ConsumerRecord<>(record.topic(), 0, offset, 0L, TimestampType.CREATE_TIME, -1, -1, record.key(),
                record.value(), new RecordHeaders(written.headers().toArray()), Optional.empty());
    }

    private static ConsumerRecord<String, byte[]> record(int version, String mode) {
        AppState state = new AppState("workspace", "shop", "alice", Instant.EPOCH, 1, true, List.of(),
                Map.of("MODE", SECRETS.seal(mode)), version, null, null, null, null);
        return new ConsumerRecord<>("slipway.apps", 0, version, "workspace/shop",
                EventJson.mapper().writeValueAsBytes(state));
    }
}
