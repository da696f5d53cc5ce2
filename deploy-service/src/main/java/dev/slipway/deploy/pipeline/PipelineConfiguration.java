package dev.slipway.deploy.pipeline;

import dev.slipway.deploy.metrics.DeployMetrics;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Topics;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.events.spring.EventSource;
import dev.slipway.events.spring.StageAttempts;
import dev.slipway.events.spring.StageBindings;
import dev.slipway.events.spring.TopicFollower;
import dev.slipway.events.spring.WallSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The deploy stage on the event log (binding {@code deploy-in-0}), whichever target runs the apps. */
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

    @Bean
    AppConfigurations appConfigurations(@Value("${slipway.secrets.key:}") String secretsKey) {
        return new AppConfigurations(new SecretBox(secretsKey));
    }

    /** Reads the apps' configurations from upload-service's app store, as every replica does. */
    @Bean
    TopicFollower appConfigurationFollower(AppConfigurations configurations, KafkaAdmin kafkaAdmin) {
        return new TopicFollower(Topics.APPS, kafkaAdmin.getConfigurationProperties(), configurations::apply);
    }

    @Bean
    DeployPipeline deployPipeline(EventSource source, DeployTarget target, WallSettings.Reserved reserved,
                                  ReleaseRecords releases) {
        return new DeployPipeline(source.uri(), target, reserved.policy(), releases);
    }

    /** The stage on the event log, its inputs marked in the attempt ledger; see {@link StageBindings}. */
    @Bean
    Consumer<Event<EventData>> deploy(DeployPipeline pipeline, StageAttempts attempts, StreamBridge streamBridge,
                                      MeterRegistry meterRegistry) {
        return StageBindings.consumer(new DeployMetrics(meterRegistry).around(pipeline::accept), DeployPipeline.INPUTS, attempts, streamBridge);
    }
}
