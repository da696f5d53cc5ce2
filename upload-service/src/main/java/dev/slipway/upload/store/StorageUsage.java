package dev.slipway.upload.store;

import dev.slipway.events.BlobUploaded;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.upload.eventlog.ReadModel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Bytes of source each namespace keeps in the store, summed from the uploads on the event log. */
public class StorageUsage implements ReadModel {

    private final Map<String, Long> bytesByNamespace = new ConcurrentHashMap<>();
    private final Set<String> counted = ConcurrentHashMap.newKeySet();

    @Override
    public void apply(Event<? extends EventData> event) {
        if (event.data() instanceof BlobUploaded upload && counted.add(upload.blobUid())) {
            bytesByNamespace.merge(upload.app().namespace(), upload.sizeBytes(), Long::sum);
        }
    }

    public long usedBy(String namespace) {
        return bytesByNamespace.getOrDefault(namespace, 0L);
    }
}
