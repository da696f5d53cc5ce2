package dev.slipway.upload.webhooks;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How webhooks are retried ({@code slipway.webhooks.*}).
 *
 * @param retryWait first wait after a failed delivery; it doubles per attempt
 * @param maxWait   longest wait between attempts, and how long a target's open circuit stays open
 * @param timeout      for connecting to a target and for its answer
 * @param allowedHosts hosts webhooks may go to although they are loopback, link-local or metadata
 *                     addresses (refused otherwise)
 */
@ConfigurationProperties("slipway.webhooks")
public record WebhookProperties(@DefaultValue("1s") Duration retryWait, @DefaultValue("60s") Duration maxWait,
                                @DefaultValue("10s") Duration timeout,
                                @DefaultValue("") java.util.List<String> allowedHosts) {

    /** Waits between delivery attempts, and between restarts of a worker that keeps dying. */
    IntervalFunction backoff() {
        return IntervalFunction.ofExponentialBackoff(retryWait, 2.0, maxWait);
    }

    WebhookTargets targets() {
        return new WebhookTargets(allowedHosts.stream().filter(host -> !host.isBlank()).toList());
    }
}
