package dev.slipway.events.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The attempt ledger of the stages ({@code slipway.stage-attempts.*}).
 *
 * @param max     how many times an input may be taken up by a process that dies before finishing it;
 *                the next time it is answered with the stage's failed event ({@code STAGE_CRASHED})
 *                and dead-lettered instead of run again
 * @param timeout how long reading and writing the ledger may take before the record is retried
 */
@ConfigurationProperties("slipway.stage-attempts")
public record StageAttemptsProperties(@DefaultValue("3") int max, @DefaultValue("10s") Duration timeout) {

    public StageAttemptsProperties {
        if (max < 1) {
            throw new IllegalArgumentException("slipway.stage-attempts.max must be 1 or more, got " + max);
        }
    }
}
