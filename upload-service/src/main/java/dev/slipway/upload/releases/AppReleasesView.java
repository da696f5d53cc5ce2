package dev.slipway.upload.releases;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppReleases;
import dev.slipway.events.EventJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Each app's current release and earlier revisions as deploy-service keeps them in
 * {@code slipway.releases}: one entry per app in heap (the last N revisions, bounded by the writer),
 * followed by every replica, so the API shows releases older than the event log.
 */
public final class AppReleasesView {

    private final Map<String, AppReleases> releases = new ConcurrentHashMap<>();
    private final CountDownLatch read = new CountDownLatch(1);

    public Optional<AppReleases> of(AppRef app) {
        return Optional.ofNullable(releases.get(app.namespace() + "/" + app.name()));
    }

    /**
     * The app's releases as the API shows them: {@code release} (absent until one is known) and
     * {@code revisions}, the earlier ones, newest first.
     */
    public Map<String, Object> describe(AppRef app) {
        Map<String, Object> shown = new LinkedHashMap<>();
        Optional<AppReleases> known = of(app);
        known.ifPresent(current -> shown.put("release", describe(current.current())));
        shown.put("revisions", known.map(current -> current.earlier().stream().map(AppReleasesView::describe).toList())
                .orElse(List.of()));
        return shown;
    }

    /** Applies one record of the topic: an app's releases, or a tombstone once the app was removed. */
    void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            releases.remove(record.key());
            return;
        }
        AppReleases read = EventJson.mapper().readValue(record.value(), AppReleases.class);
        if (!read.key().equals(record.key())) {
            throw new IllegalArgumentException("releases of " + read.app() + " under key " + record.key());
        }
        releases.put(record.key(), read);
    }

    void caughtUp() {
        read.countDown();
    }

    boolean isRead() {
        return read.getCount() == 0;
    }

    private static Map<String, Object> describe(AppReleases.Release release) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("revision", release.revision());
        shown.put("image", release.image());
        shown.put("stage_id", release.stageId());
        shown.put("instances", release.instances());
        shown.put("released_at", release.at().toString());
        return shown;
    }
}
