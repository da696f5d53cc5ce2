package dev.slipway.deploy.releases;

import dev.slipway.deploy.pipeline.ReleaseRecords;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppReleases;
import dev.slipway.events.EventJson;
import dev.slipway.events.Topics;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Each app's releases in {@code slipway.releases}: every replica follows the topic into one entry per
 * app, and the replica that deploys writes the next entry (the current release pushed into the
 * earlier ones) and waits for the broker, so an answered deploy's release is never lost. Nothing is
 * written before the topic has been read to its end: a write on a partial view would drop revisions.
 */
final class ReleasesTopic implements ReleaseRecords {

    private final Producer<String, byte[]> producer;
    private final ReleasesProperties properties;
    private final Clock clock;
    private final CountDownLatch read = new CountDownLatch(1);
    private final Map<String, AppReleases> releases = new ConcurrentHashMap<>();

    ReleasesTopic(Producer<String, byte[]> producer, ReleasesProperties properties, Clock clock) {
        this.producer = producer;
        this.properties = properties;
        this.clock = clock;
    }

    /** The topic has been read to the end it had when reading began: writes may start. */
    void caughtUp() {
        read.countDown();
    }

    boolean isRead() {
        return read.getCount() == 0;
    }

    @Override
    public synchronized void released(AppDeployed deployed) {
        awaitRead();
        AppReleases.Release release = new AppReleases.Release(deployed.releaseRevision(), deployed.image(),
                deployed.stageId(), deployed.desiredInstances(), OffsetDateTime.now(clock));
        AppReleases before = releases.get(key(deployed.app()));
        AppReleases after = before == null ? AppReleases.first(deployed.app(), release)
                : before.then(release, properties.kept());
        if (after != before) {
            send(key(deployed.app()), EventJson.mapper().writeValueAsBytes(after));
            releases.put(after.key(), after);
        }
    }

    @Override
    public synchronized void removed(AppRef app) {
        awaitRead();
        send(key(app), null);
        releases.remove(key(app));
    }

    Optional<AppReleases> of(AppRef app) {
        return Optional.ofNullable(releases.get(key(app)));
    }

    /** Applies one record of the topic: an app's releases, or a tombstone once it was removed. */
    void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            releases.remove(record.key());
        } else {
            AppReleases read = EventJson.mapper().readValue(record.value(), AppReleases.class);
            if (!read.key().equals(record.key())) {
                throw new IllegalArgumentException("releases of " + read.app() + " under key " + record.key());
            }
            releases.put(record.key(), read);
        }
    }

    private void awaitRead() {
        try {
            if (!read.await(properties.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(Topics.RELEASES + " has not been read within " + properties.timeout()
                        + "; the release is recorded when the deploy is retried");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + Topics.RELEASES, e);
        }
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.RELEASES, key, value))
                    .get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(Topics.RELEASES + " refused the releases of " + key + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(Topics.RELEASES + " did not take the releases of " + key + " within "
                    + properties.timeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the releases of " + key, e);
        }
    }

    private static String key(AppRef app) {
        return app.namespace() + "/" + app.name();
    }
}
