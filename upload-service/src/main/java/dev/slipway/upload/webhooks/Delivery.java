package dev.slipway.upload.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * How delivering one event to one subscription went so far, as written to {@link DeliveryLog#TOPIC}
 * after every attempt, so a target that keeps failing shows why.
 *
 * @param pushId      the event's correlation id
 * @param attempts    HTTP requests made for this event
 * @param statusCodes the answers' status codes in order (attempts without an answer have none)
 * @param lastError   what went wrong last, or null after a delivery at the first try
 */
public record Delivery(String eventId, String type, String pushId, int attempts, List<Integer> statusCodes,
                       String lastError, boolean delivered, Instant at) {

    public Delivery {
        statusCodes = List.copyOf(statusCodes);
    }
}
