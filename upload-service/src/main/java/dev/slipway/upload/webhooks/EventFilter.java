package dev.slipway.upload.webhooks;

import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;

/** Which events of the log a subscription wants: its types, namespace and app, and no older ones when "from now". */
final class EventFilter implements Predicate<Event<?>> {

    private final Set<EventType> types = EnumSet.noneOf(EventType.class);
    private final String namespace;
    private final String app;
    private final Instant notBefore;

    EventFilter(Subscription subscription) {
        subscription.types().forEach(glob -> types.addAll(EventType.matching(glob)));
        this.namespace = subscription.namespace();
        this.app = subscription.app();
        this.notBefore = Subscription.FROM_NOW.equals(subscription.from()) ? subscription.createdAt() : Instant.MIN;
    }

    @Override
    public boolean test(Event<?> event) {
        return types.contains(event.type())
                && (namespace == null || namespace.equals(event.namespace()))
                && (app == null || app.equals(event.app()))
                && !event.time().toInstant().isBefore(notBefore);
    }
}
