package dev.slipway.staging.worker;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.slipway.events.StageStep;

/**
 * What a stage worker writes on its standard output, one JSON object a line: ready once warm, then
 * for its one stage the log lines and finished steps as they happen, and last the outcome.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = WorkerMessage.Ready.class, name = "ready"),
        @JsonSubTypes.Type(value = WorkerMessage.Logged.class, name = "log"),
        @JsonSubTypes.Type(value = WorkerMessage.StepFinished.class, name = "step"),
        @JsonSubTypes.Type(value = WorkerMessage.Built.class, name = "built"),
        @JsonSubTypes.Type(value = WorkerMessage.Failed.class, name = "failed")})
sealed interface WorkerMessage {

    /** Warmed up and waiting for its order, {@code warmupMillis} after the JVM started. */
    record Ready(long warmupMillis) implements WorkerMessage {
    }

    record Logged(StageStep step, String line) implements WorkerMessage {
    }

    record StepFinished(StageStep step, long millis, String detail) implements WorkerMessage {
    }

    /** The stage's last word when it succeeded. */
    record Built(String reference, String digest, String appKind) implements WorkerMessage {
    }

    /** The stage's last word when it failed; {@code reason} is a {@code ReasonCodes} code. */
    record Failed(StageStep step, String reason, String message, boolean retryable) implements WorkerMessage {
    }
}
