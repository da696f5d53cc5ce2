package dev.slipway.upload.projection;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.upload.eventlog.ReadModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The events this replica published or read live just now, until the stores have them: a push id
 * handed to a user is readable at once, and followers of a push get each new event as it comes.
 * Bounded by count and age, oldest out first, so it never grows with the log.
 */
class RecentEvents implements ReadModel {

    private record Kept(Event<EventData> event, Instant at) {
    }

    private final int capacity;
    private final Duration maxAge;
    private final Clock clock;
    private final LinkedHashMap<String, Kept> byId = new LinkedHashMap<>();
    private final Map<String, List<Event<EventData>>> byPush = new HashMap<>();
    private final Map<String, List<Consumer<Event<EventData>>>> followers = new HashMap<>();

    RecentEvents(int capacity, Duration maxAge, Clock clock) {
        this.capacity = capacity;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * Keeps the event once and hands it to the push's followers, under the same lock as {@link #follow}.
     * Followers only queue the event, so this never blocks.
     */
    @SuppressWarnings("unchecked")
    @Override
    public synchronized void apply(Event<? extends EventData> event) {
        if (byId.containsKey(event.id())) {
            return;
        }
        Event<EventData> kept = (Event<EventData>) event;
        Instant now = clock.instant();
        byId.put(event.id(), new Kept(kept, now));
        byPush.computeIfAbsent(event.correlationId(), id -> new ArrayList<>()).add(kept);
        evict(now);
        followers.getOrDefault(event.correlationId(), List.of()).forEach(follower -> follower.accept(kept));
    }

    synchronized List<Event<EventData>> ofPush(String pushId) {
        evict(clock.instant());
        return List.copyOf(byPush.getOrDefault(pushId, List.of()));
    }

    /** Push ids with recent events of the app (namespace/name). */
    synchronized List<String> pushesOf(String namespace, String name) {
        evict(clock.instant());
        return byPush.entrySet().stream().filter(push -> push.getValue().stream()
                        .anyMatch(event -> namespace.equals(event.namespace()) && name.equals(event.app())))
                .map(Map.Entry::getKey).toList();
    }

    /** Registers {@code follower} for the push's later events; returns its recent ones, in one step. */
    synchronized List<Event<EventData>> follow(String pushId, Consumer<Event<EventData>> follower) {
        followers.computeIfAbsent(pushId, id -> new ArrayList<>()).add(follower);
        return ofPush(pushId);
    }

    synchronized void unfollow(String pushId, Consumer<Event<EventData>> follower) {
        List<Consumer<Event<EventData>>> current = followers.get(pushId);
        if (current != null) {
            current.remove(follower);
            if (current.isEmpty()) {
                followers.remove(pushId);
            }
        }
    }

    synchronized int size() {
        return byId.size();
    }

    private void evict(Instant now) {
        Instant oldest = now.minus(maxAge);
        Iterator<Kept> kept = byId.values().iterator();
        while (kept.hasNext()) {
            Kept next = kept.next();
            if (byId.size() <= capacity && !next.at().isBefore(oldest)) {
                return;
            }
            kept.remove();
            List<Event<EventData>> push = byPush.get(next.event().correlationId());
            push.remove(next.event());
            if (push.isEmpty()) {
                byPush.remove(next.event().correlationId());
            }
        }
    }
}
