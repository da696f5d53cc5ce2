package dev.slipway.upload.webhooks;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How webhooks are delivered ({@code slipway.webhooks.*}).
 *
 * @param retryWait                   first wait after a failed delivery; it doubles per attempt
 * @param maxWait                     longest wait between attempts, and how long a target's open circuit stays open
 * @param timeout                     the deadline of one attempt, all of it: connecting, sending, the whole answer
 * @param maxResponseSize             at most this much of an answer is read; the rest is left unread
 * @param maxConcurrentDeliveries     attempts under way at once on a replica, for all subscriptions
 * @param deliveryThreads             threads that step all subscriptions' workers (poll, commit, schedule)
 * @param maxSubscriptionsPerNamespace subscriptions a namespace may have (those for all namespaces count as one more)
 * @param allowedRanges               address ranges (CIDR) webhooks may go to although they are not global unicast
 */
@ConfigurationProperties("slipway.webhooks")
public record WebhookProperties(@DefaultValue("1s") Duration retryWait, @DefaultValue("60s") Duration maxWait,
                                @DefaultValue("10s") Duration timeout,
                                @DefaultValue("64KB") DataSize maxResponseSize,
                                @DefaultValue("16") int maxConcurrentDeliveries,
                                @DefaultValue("2") int deliveryThreads,
                                @DefaultValue("20") int maxSubscriptionsPerNamespace,
                                @DefaultValue("") List<String> allowedRanges) {

    /** Waits between delivery attempts, and between restarts of a worker that keeps dying. */
    IntervalFunction backoff() {
        return IntervalFunction.ofExponentialBackoff(retryWait, 2.0, maxWait);
    }

    AddressPolicy addressPolicy() {
        return new AddressPolicy(allowedRanges.stream().filter(range -> !range.isBlank()).map(Cidr::parse).toList());
    }
}
