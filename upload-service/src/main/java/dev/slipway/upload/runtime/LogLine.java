package dev.slipway.upload.runtime;

import java.time.Instant;

/**
 * One line an instance printed, already made safe to show ({@link LogText}).
 *
 * @param instance the instance's name; for a build log, the staging step
 * @param time     when it was printed, as the runtime recorded it; null when it did not say
 * @param stream   {@code stdout} or {@code stderr} locally; {@code output} on Kubernetes, whose API
 *                 merges the two; {@code build} for a build log
 * @param line     the text, without its line break
 */
public record LogLine(String instance, Instant time, String stream, String line) {
}
