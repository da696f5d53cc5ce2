package dev.slipway.bench.replay;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStarted;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageSucceeded;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Successful pushes as the platform writes them, five events each (stage requested, started,
 * succeeded, app deployed, routes ready), over {@code apps} apps in {@code namespaces} namespaces,
 * spread over the three days before {@code end} (well within the event log's default retention of
 * seven days, as a real log's events are). Sizes are those of real pushes: settings with custom routes and a
 * configuration, an image with its digest, step times, URLs (about 1 KB per record with headers).
 * The same seed and end give the same pushes.
 */
public final class SyntheticPushes {

    private static final URI UPLOAD = URI.create("/slipway/upload-service");
    private static final URI STAGING = URI.create("/slipway/staging-service");
    private static final URI DEPLOY = URI.create("/slipway/deploy-service");
    private static final URI ROUTING = URI.create("/slipway/routing-service");
    private static final Duration SPAN = Duration.ofDays(3);

    public static final int EVENTS_PER_PUSH = 5;

    private final int pushes;
    private final int namespaces;
    private final int apps;
    private final Random random;
    private final int[] revisions;
    private final OffsetDateTime start;

    public SyntheticPushes(int pushes, int namespaces, int apps, long seed, OffsetDateTime end) {
        if (pushes < 1 || namespaces < 1 || apps < namespaces) {
            throw new IllegalArgumentException("need pushes >= 1 and apps >= namespaces >= 1, got " + pushes
                    + " pushes, " + namespaces + " namespaces, " + apps + " apps");
        }
        this.pushes = pushes;
        this.namespaces = namespaces;
        this.apps = apps;
        this.random = new Random(seed);
        this.revisions = new int[apps];
        this.start = end.withOffsetSameInstant(ZoneOffset.UTC).minus(SPAN);
    }

    public int pushes() {
        return pushes;
    }

    /** Every namespace the pushes are spread over. */
    public List<String> namespaces() {
        return java.util.stream.IntStream.range(0, namespaces).mapToObj(this::namespace).toList();
    }

    /** Namespace {@code i}: {@code product-team-00}, {@code product-team-01}, ... */
    public String namespace(int index) {
        return String.format(java.util.Locale.ROOT, "product-team-%02d", index);
    }

    /** The {@code index}th push's events, oldest first; call with 0, 1, 2, ... in order. */
    public List<Event<? extends EventData>> push(int index) {
        int appIndex = random.nextInt(apps);
        AppRef app = new AppRef(namespace(appIndex % namespaces),
                String.format(java.util.Locale.ROOT, "service-app-%04d", appIndex));
        int revision = ++revisions[appIndex];
        String blobUid = uuid();
        String pushId = uuid();
        OffsetDateTime requestedAt = start.plus(SPAN.multipliedBy(index).dividedBy(pushes));
        AppSettings settings = new AppSettings(1 + random.nextInt(3), true,
                List.of(app.name() + "." + app.namespace() + ".example.com",
                        "www." + app.name() + "-" + app.namespace() + ".example.org/api/v" + (1 + revision % 3),
                        app.name() + ".internal.example.net/" + app.namespace()),
                app.name() + "-env@" + revision, 256 + 128 * random.nextInt(4));
        String image = "registry.slipway.internal:5000/" + app.namespace() + "-" + app.name() + ":" + pushId;
        String digest = "sha256:" + HexFormat.of().formatHex(bytes(32));
        String builder = "paketobuildpacks/builder-jammy-base:0.4." + random.nextInt(400);

        Event<StageRequested> requested = new Event<>(pushId, UPLOAD, requestedAt, pushId, pushId, null,
                new StageRequested(blobUid, app, builder, settings, revision > 1 ? uuid() : null));
        Event<StageStarted> started = next(requested, STAGING, requestedAt.plusNanos(millis(200, 1500)),
                new StageStarted(blobUid, app, "kubernetes", builder));
        OffsetDateTime builtAt = started.time().plusNanos(millis(20_000, 90_000));
        Event<StageSucceeded> succeeded = next(started, STAGING, builtAt,
                new StageSucceeded(blobUid, app, pushId, image, digest, "procfile",
                        Map.of(StageStep.FETCH, (long) random.nextInt(3000), StageStep.UNPACK,
                                (long) random.nextInt(2000), StageStep.BUILD, (long) random.nextInt(80_000)),
                        settings));
        Event<AppDeployed> deployed = next(succeeded, DEPLOY, builtAt.plusNanos(millis(3000, 30_000)),
                new AppDeployed(blobUid, app, pushId, image, revision, settings.instances(), settings.instances(),
                        settings, List.of()));
        Event<RoutesReady> online = next(deployed, ROUTING, deployed.time().plusNanos(millis(100, 2000)),
                new RoutesReady(blobUid, app, settings.routes().stream().map(route -> "https://" + route)
                        .toList()));
        return List.of(requested, started, succeeded, deployed, online);
    }

    /** Caused by {@code cause}, in the same push, at {@code time} (microseconds, as the platform writes them). */
    private <N extends EventData> Event<N> next(Event<?> cause, URI source, OffsetDateTime time, N data) {
        return new Event<>(uuid(), source, time.truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                cause.correlationId(), cause.id(), null, data);
    }

    private long millis(int least, int most) {
        return (least + random.nextInt(most - least)) * 1_000_000L;
    }

    /** A version 4 UUID from this generator's seed. */
    private String uuid() {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
