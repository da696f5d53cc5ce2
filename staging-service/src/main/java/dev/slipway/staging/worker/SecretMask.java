package dev.slipway.staging.worker;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Hides a push's build env values in what its stage reports: a build tool that prints a URL with a
 * token, or quotes its env in an error, must not put the value into the stage's log events, the
 * push's history, webhooks or a failure's message. Values shorter than {@link #MIN_LENGTH} stay (a
 * value like {@code 1} or {@code on} would mask half the log and hides nothing).
 */
final class SecretMask {

    static final int MIN_LENGTH = 4;
    static final String HIDDEN = "***";

    private final List<String> values;

    SecretMask(Collection<String> values) {
        // the longest first, so a value that contains another is hidden whole
        this.values = values.stream().filter(value -> value != null && value.length() >= MIN_LENGTH).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    String mask(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String value : values) {
            masked = masked.replace(value, HIDDEN);
        }
        return masked;
    }

    WorkerMessage mask(WorkerMessage message) {
        if (values.isEmpty()) {
            return message;
        }
        if (message instanceof WorkerMessage.Logged logged) {
            return new WorkerMessage.Logged(logged.step(), mask(logged.line()));
        }
        if (message instanceof WorkerMessage.StepFinished finished) {
            return new WorkerMessage.StepFinished(finished.step(), finished.millis(), mask(finished.detail()));
        }
        if (message instanceof WorkerMessage.Failed failed) {
            return new WorkerMessage.Failed(failed.step(), failed.reason(), mask(failed.message()), failed.retryable());
        }
        return message;
    }
}
