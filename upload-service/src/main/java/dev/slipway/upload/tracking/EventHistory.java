package dev.slipway.upload.tracking;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.FailureEvent;
import dev.slipway.upload.eventlog.ReadModel;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every event of the log, in the order this replica read it, indexed by push, with live followers
 * per push. Rebuilt from the event log on start like the push states; an event is kept once, by id
 * (the API keeps what it publishes at once and reads it back from the log later).
 */
public class EventHistory implements ReadModel {

    private final List<Event<EventData>> all = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private final Map<String, List<Event<EventData>>> byPush = new LinkedHashMap<>();
    private final Map<String, List<Consumer<Event<EventData>>>> followers = new LinkedHashMap<>();

    /**
     * Keeps the event and hands it to the push's followers, under the same lock as {@link #follow}:
     * the API's thread and the log reader's may apply events of one push at once, and followers must
     * see them in the order they were kept. Followers only queue the event, so this never blocks.
     */
    @SuppressWarnings("unchecked")
    @Override
    public synchronized void apply(Event<? extends EventData> event) {
        if (!ids.add(event.id())) {
            return;
        }
        Event<EventData> kept = (Event<EventData>) event;
        all.add(kept);
        byPush.computeIfAbsent(event.correlationId(), id -> new ArrayList<>()).add(kept);
        followers.getOrDefault(event.correlationId(), List.of()).forEach(follower -> follower.accept(kept));
    }

    public synchronized List<Event<EventData>> ofPush(String pushId) {
        return List.copyOf(byPush.getOrDefault(pushId, List.of()));
    }

    /**
     * Matching events, oldest first: the first {@code limit} from {@code since} on, or without a
     * {@code since} the latest {@code limit}. Ordered by time: the order in which a replica reads
     * different partitions varies, event times do not (and within one push, time order is log order).
     */
    public synchronized List<Event<EventData>> find(Predicate<Event<EventData>> match, OffsetDateTime since,
                                                    int limit) {
        List<Event<EventData>> found = all.stream()
                .filter(event -> (since == null || !event.time().isBefore(since)) && match.test(event))
                .sorted(java.util.Comparator.comparing(Event::time))
                .toList();
        if (found.size() <= limit) {
            return found;
        }
        return since != null ? found.subList(0, limit) : found.subList(found.size() - limit, found.size());
    }

    /**
     * The push's events so far, and {@code follower} registered for every later one, in one step so
     * that none is missed or seen twice. Cancel with {@link #unfollow}.
     */
    public synchronized List<Event<EventData>> follow(String pushId, Consumer<Event<EventData>> follower) {
        followers.computeIfAbsent(pushId, id -> new ArrayList<>()).add(follower);
        return ofPush(pushId);
    }

    public synchronized void unfollow(String pushId, Consumer<Event<EventData>> follower) {
        List<Consumer<Event<EventData>>> current = followers.get(pushId);
        if (current != null) {
            current.remove(follower);
            if (current.isEmpty()) {
                followers.remove(pushId);
            }
        }
    }

    /**
     * A push ends with its URLs, with a failure, or superseded by a newer push before it ran (until a replay carries it on); an upload, which
     * is a push of its own, ends with its only event.
     */
    public static boolean ends(Event<? extends EventData> event) {
        return event.is(EventType.ROUTES_READY) || event.is(EventType.BLOB_UPLOADED)
                || event.is(EventType.PUSH_SUPERSEDED) || event.data() instanceof FailureEvent;
    }
}
