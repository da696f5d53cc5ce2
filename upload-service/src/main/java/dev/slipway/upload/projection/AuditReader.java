package dev.slipway.upload.projection;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.kafka.EventCodec;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.tracking.AuditCursor;
import dev.slipway.upload.tracking.AuditPage;
import dev.slipway.upload.tracking.AuditQuery;
import dev.slipway.upload.tracking.EventViews;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Reads a page of the audit trail from the time index of each partition this replica holds and,
 * unless the request was forwarded here, from every other replica holding a part (asked with the
 * caller's own request, so each applies the caller's rights itself), merged by time.
 */
class AuditReader {

    /** A part's answer: up to a page of events, and whether more matched. */
    record Slice(List<JsonNode> events, boolean more) {
    }

    private static final Comparator<JsonNode> IN_TIME = Comparator.comparing(AuditCursor::of);

    private final Projections projections;
    private final ReplicaClient replicas;

    AuditReader(Projections projections, ReplicaClient replicas) {
        this.projections = projections;
        this.replicas = replicas;
    }

    AuditPage read(AuditQuery query) {
        List<Slice> slices = new ArrayList<>();
        try {
            for (Integer partition : projections.localPartitions()) {
                projections.query(ProjectionTopology.AUDIT, partition)
                        .ifPresent(store -> slices.add(scan(store, query)));
            }
        } catch (InvalidStateStoreException moving) {
            throw Projections.storesMoving(moving);
        }
        if (!replicas.forwarded()) {
            Set<HostInfo> others = projections.otherAuditHolders();
            for (HostInfo other : others) {
                slices.add(replicas.auditPart(other).orElseThrow(() -> new ApiException(
                        HttpStatus.SERVICE_UNAVAILABLE, "replica unavailable", "the replica at " + other
                        + " holding part of the audit trail did not answer; try again shortly")));
            }
        }
        return merge(slices, query);
    }

    static AuditPage merge(List<Slice> slices, AuditQuery query) {
        List<JsonNode> all = new ArrayList<>();
        slices.forEach(slice -> all.addAll(slice.events()));
        all.sort(IN_TIME);
        if (!query.forward()) {
            return new AuditPage(all.subList(Math.max(0, all.size() - query.limit()), all.size()), null);
        }
        boolean more = all.size() > query.limit() || slices.stream().anyMatch(Slice::more);
        List<JsonNode> page = all.subList(0, Math.min(all.size(), query.limit()));
        return new AuditPage(List.copyOf(page), more && !page.isEmpty() ? AuditCursor.of(page.get(page.size() - 1))
                : null);
    }

    /** Forward: the first page after the cursor (and one more, to know of more); else the latest page. */
    private static Slice scan(ReadOnlyKeyValueStore<String, byte[]> store, AuditQuery query) {
        List<JsonNode> found = new ArrayList<>();
        if (query.forward()) {
            String from = query.after() != null ? query.after().key()
                    : AuditCursor.of(query.since(), "0").key();
            try (KeyValueIterator<String, byte[]> entries = store.range(from, null)) {
                while (entries.hasNext() && found.size() <= query.limit()) {
                    collect(entries.next(), query, found);
                }
            }
            boolean more = found.size() > query.limit();
            return new Slice(more ? found.subList(0, query.limit()) : found, more);
        }
        try (KeyValueIterator<String, byte[]> entries = store.reverseAll()) {
            while (entries.hasNext() && found.size() < query.limit()) {
                collect(entries.next(), query, found);
            }
        }
        Collections.reverse(found);
        return new Slice(found, false);
    }

    private static void collect(KeyValue<String, byte[]> entry, AuditQuery query, List<JsonNode> found) {
        AuditCursor at = AuditCursor.fromKey(entry.key);
        String[] subject = AuditCursor.subjectOf(entry.key);
        if (!query.admits(at) || !query.subject().test(subject[0], subject[1])) {
            return;
        }
        Event<EventData> event;
        try {
            event = EventCodec.fromStructuredJson(entry.value);
        } catch (RuntimeException unreadable) {
            return;  // the fold only indexes readable events; a newer format this version cannot read
        }
        if (query.match().test(event)) {
            found.add(EventViews.of(event));
        }
    }
}
