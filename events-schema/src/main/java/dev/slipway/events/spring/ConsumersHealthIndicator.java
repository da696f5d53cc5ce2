package dev.slipway.events.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * DOWN while any consuming part of the service has stopped (see {@link ConsumerParts}): a service
 * whose consumer died answers HTTP as before, but every record after it waits forever. The details
 * name each part and its state.
 */
class ConsumersHealthIndicator extends AbstractHealthIndicator {

    private final ObjectProvider<ConsumerParts> parts;

    ConsumersHealthIndicator(ObjectProvider<ConsumerParts> parts) {
        super("consumer health check failed");
        this.parts = parts;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<PartStatus> statuses = parts.orderedStream().flatMap(part -> part.partStatuses().stream()).toList();
        Map<String, String> details = new LinkedHashMap<>();
        statuses.forEach(status -> details.merge(status.part(), status.detail(), (one, other) -> one + "; " + other));
        builder.status(statuses.stream().allMatch(PartStatus::up) ? Status.UP : Status.DOWN).withDetails(details);
    }
}
