package dev.slipway.upload.queue;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The per-app push queue ({@code slipway.upload.queue.*}); how long a push may hold its app is
 * {@code slipway.staging.timeout}.
 *
 * @param checkInterval how often running pushes are checked against the staging timeout; a stalled
 *                      push holds its app at most this much longer than the timeout
 */
@ConfigurationProperties("slipway.upload.queue")
public record QueueProperties(@DefaultValue("10s") Duration checkInterval) {
}
