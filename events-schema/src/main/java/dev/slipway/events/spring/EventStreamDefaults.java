package dev.slipway.events.spring;

import dev.slipway.events.Topics;
import dev.slipway.events.logging.EventMdc;
import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.kafka.EventSerializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * Binds every Spring Cloud Stream binding of a Slipway service to the event contract, so services
 * do not repeat it: records are written and read by the Slipway serde (native encoding, CloudEvents
 * headers), keyed by blob uid, with idempotent producers, and unreadable records go to the
 * dead-letter topic instead of blocking their partition. Also bounds a service's stop: each shutdown
 * phase (open HTTP requests such as event streams, the bindings) waits at most
 * {@value #SHUTDOWN_PHASE_TIMEOUT} rather than Spring's 30 s, so a service stops within seconds of
 * SIGTERM. Every service's log lines name the push, trace and span of the event being handled
 * ({@link EventMdc#LOG_PATTERN}). Added last: a service's own configuration wins.
 */
public class EventStreamDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "slipwayEventStreamDefaults";
    static final String SHUTDOWN_PHASE_TIMEOUT = "5s";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        String binder = "spring.cloud.stream.kafka.binder.";
        defaults.put("spring.cloud.stream.default.producer.use-native-encoding", true);
        defaults.put("spring.cloud.stream.default.consumer.use-native-decoding", true);
        defaults.put("spring.cloud.stream.default.group", "${spring.application.name}");
        defaults.put("spring.cloud.stream.default.destination", Topics.EVENTS);
        defaults.put(binder + "required-acks", "all");
        defaults.put(binder + "producer-properties.key.serializer", StringSerializer.class.getName());
        defaults.put(binder + "producer-properties.value.serializer", EventSerializer.class.getName());
        defaults.put(binder + "producer-properties.enable.idempotence", true);
        defaults.put(binder + "consumer-properties.key.deserializer", StringDeserializer.class.getName());
        defaults.put(binder + "consumer-properties.value.deserializer", ErrorHandlingDeserializer.class.getName());
        defaults.put(binder + "consumer-properties." + ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS,
                EventDeserializer.class.getName());
        defaults.put("spring.cloud.stream.kafka.default.producer.message-key-expression", "payload.key()");
        // an output is on the broker before the input's offset is committed: at-least-once, never lost
        defaults.put("spring.cloud.stream.kafka.default.producer.sync", true);
        defaults.put("spring.cloud.stream.kafka.default.consumer.enable-dlq", true);
        defaults.put("spring.lifecycle.timeout-per-shutdown-phase", SHUTDOWN_PHASE_TIMEOUT);
        defaults.put("logging.pattern.correlation", EventMdc.LOG_PATTERN);
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }
}
