package dev.slipway.staging.intake;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.StageStarted;
import dev.slipway.events.spring.EventSource;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds {@link StageIntake} to the event log: {@code stage-in-0} and {@code stage-out-0}. */
@Configuration(proxyBeanMethods = false)
class IntakeBinding {

    @Bean
    StageIntake stageIntake(EventSource source, StagingProperties properties) {
        return new StageIntake(source.uri(), properties);
    }

    /** Returning null sends nothing: events of other types are skipped. */
    @Bean
    Function<Event<EventData>, Event<StageStarted>> stage(StageIntake intake) {
        return event -> intake.accept(event).orElse(null);
    }
}
