package dev.slipway.staging.build;

import dev.slipway.events.StageStep;

/** How a build ended: an image in the registry, or a failure with its reason code. */
public sealed interface BuildOutcome {

    /** The pushed image with tag, its manifest digest, and the kind of app that was found. */
    record Built(String reference, String digest, String appKind) implements BuildOutcome {
    }

    /** The step that failed and why; {@code reason} is a {@code ReasonCodes} code. */
    record Failed(StageStep step, String reason, String message, boolean retryable) implements BuildOutcome {

        public static Failed of(StageStep step, StageFailure failure) {
            return new Failed(step, failure.reason(), failure.getMessage(), failure.retryable());
        }
    }
}
