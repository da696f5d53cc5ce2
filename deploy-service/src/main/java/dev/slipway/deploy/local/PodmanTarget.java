package dev.slipway.deploy.local;

import dev.slipway.events.RuntimeLabels;
import dev.slipway.deploy.pipeline.AppConfigurations;
import dev.slipway.deploy.pipeline.DeployFailure;
import dev.slipway.deploy.pipeline.DeployTarget;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppMemory;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.ReasonCodes;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.unit.DataSize;

/**
 * Apps on this machine: each instance a podman container on its namespace's network (see
 * {@link AppNetworks}), listening on its own {@code PORT}, published on the host's loopback. A new
 * revision starts beside the old one; only when every new instance answers HTTP is it announced
 * (with its endpoints, for the router), and the old instances go after a drain period, so a
 * redeploy drops no request. Containers carry their app, revision, port and image as labels, so
 * the state survives a restart of the service: stopped with it, started again with it. A revision of
 * no instances (an app scaled to zero) is recorded by a marker container that is never started (see
 * {@link Podman#createMarker}), so revision numbers keep rising and the app stays at zero after a restart.
 */
public class PodmanTarget implements DeployTarget, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PodmanTarget.class);
    /** 128 + SIGKILL: what the kernel's out-of-memory killer leaves. */
    private static final int SIGKILLED = 137;

    private final Podman podman;
    private final AppNetworks networks;
    private final LocalRuntimeProperties properties;
    private final AppConfigurations configurations;
    private final DataSize maxMemory;
    /** Retires old revisions after the drain; only in memory, so {@link #start()} retires what it lost. */
    private volatile ScheduledExecutorService retirements = newRetirements();
    private volatile boolean running;

    PodmanTarget(Podman podman, LocalRuntimeProperties properties, AppConfigurations configurations,
                 DataSize maxMemory) {
        this.maxMemory = maxMemory;
        this.podman = podman;
        this.networks = new AppNetworks(podman, properties.installation());
        this.properties = properties;
        this.configurations = configurations;
    }

    @Override
    public synchronized AppDeployed deploy(DeployRequested request) throws DeployFailure {
        return start(request, request.image(), request.stageId(), request.settings().instances());
    }

    @Override
    public synchronized AppDeployed rollBack(DeployRequested request) throws DeployFailure {
        List<LocalContainer> all = containers(request.app());
        List<LocalContainer> newest = newestRevision(all);
        if (!newest.isEmpty() && newest.get(0).blobUid().equals(request.blobUid())) {
            // this very rollback ran already (a redelivery): rolling back again would go one further
            LocalContainer first = newest.get(0);
            retireAfterDrain(all, first.revision());
            return deployed(request, first.image(), stageIdOf(first), first.revision(),
                    newest.stream().filter(LocalContainer::running).toList(), instancesOf(newest));
        }
        // the newest revision, running or not: an app at zero instances or one that crashed rolls back too
        int current = newest.isEmpty() ? 0 : newest.get(0).revision();
        int target = request.revision() != null ? request.revision() : current - 1;
        List<LocalContainer> earlier = all.stream().filter(container -> container.revision() == target).toList();
        if (earlier.isEmpty()) {
            throw new DeployFailure(ReasonCodes.RELEASE_NOT_FOUND, "app " + request.app() + " has no revision "
                    + target + " on this machine (the current and the one before it are kept)", false, null);
        }
        // as a Helm rollback restores the earlier release's values: its image and its number of instances
        return start(request, earlier.get(0).image(), stageIdOf(earlier.get(0)), instancesOf(earlier));
    }

    private static String stageIdOf(LocalContainer container) {
        return container.stageId().isEmpty() ? null : container.stageId();
    }

    /** How many instances a revision runs: its containers, none for a marker. */
    private static int instancesOf(List<LocalContainer> revision) {
        return (int) revision.stream().filter(LocalContainer::instance).count();
    }

    @Override
    public synchronized void remove(AppRef app) throws DeployFailure {
        List<LocalContainer> removed = containers(app);
        for (LocalContainer container : removed) {
            podman(() -> podman.remove(container.name()), "remove " + container.name());
        }
        // the images podman pulled for the app go too, unless another container still uses them
        removed.stream().map(LocalContainer::image).distinct().forEach(image -> {
            try {
                if (!podman.removeImageIfUnused(image)) {
                    log.info("kept image {} of deleted app {}: another container uses it", image, app);
                }
            } catch (IOException e) {
                log.warn("cannot remove image {} of deleted app {}: {}", image, app, e.getMessage());
            }
        });
        try {
            networks.removeIfUnused(app.namespace());
        } catch (IOException e) {
            log.warn("cannot tidy the network of namespace {}: {}", app.namespace(), e.getMessage());
        }
    }

    private AppDeployed start(DeployRequested request, String image, String stageId, int instances)
            throws DeployFailure {
        AppRef app = request.app();
        List<LocalContainer> all = containers(app);
        // at zero the newest revision is a marker, which never runs
        List<LocalContainer> current = instances == 0 ? newestRevision(all) : newestRunning(all);
        if (!current.isEmpty() && instancesOf(current) == instances && current.stream().allMatch(container ->
                container.blobUid().equals(request.blobUid()) && container.image().equals(image)
                        && container.stageId().equals(Objects.toString(stageId, "")))) {
            // a redelivery; the first delivery's retire may have been lost with the service that scheduled it
            retireAfterDrain(all, current.get(0).revision());
            return deployed(request, image, stageId, current.get(0).revision(),
                    current.stream().filter(LocalContainer::instance).toList(), instances);
        }
        int revision = all.stream().mapToInt(LocalContainer::revision).max().orElse(0) + 1;
        if (instances == 0) {
            markRevision(request, image, stageId, revision);
            retireAfterDrain(all, revision);
            return deployed(request, image, stageId, revision, List.of(), 0);
        }
        AppLimits limits = limits(request.settings());
        Map<String, String> env = new LinkedHashMap<>(configurations.env(app, request.settings().configurationRef()));
        List<LocalContainer> started = new ArrayList<>();
        // ports of every Slipway container on the machine, stopped ones and other installations' too
        Set<Integer> taken;
        String network;
        try {
            taken = new HashSet<>(podman.allPorts());
            network = networks.ensure(app.namespace());
        } catch (IOException e) {
            throw new DeployFailure(ReasonCodes.CLUSTER_UNAVAILABLE, "podman is not usable: " + e.getMessage(), true,
                    e);
        }
        try {
            for (int i = 0; i < instances; i++) {
                int port = freePort(taken);
                taken.add(port);
                LocalContainer container = new LocalContainer(name(app, revision, i), app, revision, port, image,
                        Objects.toString(stageId, ""), request.blobUid(), true, false);
                env.put("PORT", String.valueOf(port));
                RunRequest instance = new RunRequest(container.name(), image, network, port, limits);
                Podman.Result run = podman(() -> podman.run(instance, labels(container), env),
                        "start " + container.name());
                if (!run.ok()) {
                    throw new DeployFailure(ReasonCodes.IMAGE_PULL_FAILED, "podman could not start " + image + ": "
                            + run.output().strip(), false, null);
                }
                started.add(container);
            }
            for (LocalContainer container : started) {
                awaitAnswer(container, limits);
            }
        } catch (DeployFailure failure) {
            started.forEach(container -> podman(() -> podman.remove(container.name()), "clean up"));
            throw failure;
        }
        retireAfterDrain(all, revision);
        return deployed(request, image, stageId, revision, started, instances);
    }

    /**
     * A revision of no instances (scaled to zero) is recorded by its marker, so the next revision has a
     * higher number, a rollback finds it, and a restart of the service starts nothing for the app.
     */
    private void markRevision(DeployRequested request, String image, String stageId, int revision)
            throws DeployFailure {
        LocalContainer marker = new LocalContainer(markerName(request.app(), revision), request.app(), revision, 0,
                image, Objects.toString(stageId, ""), request.blobUid(), false, true);
        Podman.Result created = podman(() -> podman.createMarker(marker.name(), image, labels(marker)),
                "record revision " + revision + " of " + request.app());
        if (!created.ok()) {
            throw new DeployFailure(ReasonCodes.IMAGE_PULL_FAILED, "podman could not record revision " + revision
                    + " (no instances) of " + image + ": " + created.output().strip(), false, null);
        }
    }

    /**
     * The app's own memory when it asks for some, else the runtime's default. upload-service refused
     * values over the cap already; an event that carries one anyway (a replay, a service set otherwise)
     * starts nothing.
     */
    private AppLimits limits(AppSettings settings) throws DeployFailure {
        if (settings.memoryMb() == null) {
            return properties.limits();
        }
        String refusal = AppMemory.refusal(settings.memoryMb(), maxMemory.toMegabytes());
        if (refusal != null) {
            throw new DeployFailure(ReasonCodes.MEMORY_OVER_LIMIT, refusal + "; push again with a smaller "
                    + "--memory", false, null);
        }
        return new AppLimits(settings.memoryMb() * AppLimits.MB, properties.pids());
    }

    /**
     * Retires, once the drain is over, the app's revisions before {@code revision} as {@code all} lists
     * them: never one from {@code revision} on, so never the instances just announced or any started later.
     * Nothing is scheduled when no older instance runs and nothing older than the previous revision is left.
     */
    private void retireAfterDrain(List<LocalContainer> all, int revision) {
        List<LocalContainer> old = all.stream().filter(container -> container.revision() < revision).toList();
        if (old.stream().anyMatch(container -> container.running() || container.revision() < revision - 1)) {
            retirements.schedule(() -> retire(old, revision), properties.drain().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Old instances stop; the previous revision's stay stopped for a rollback (its marker, if it ran
     * none), older ones are removed.
     */
    private void retire(List<LocalContainer> old, int newRevision) {
        if (!old.isEmpty() && !serving(old.get(0).app(), newRevision)) {
            log.warn("kept the older revisions of {}: revision {} does not answer (a deploy cut short, or its instances "
                    + "crashed), so the one before it goes on serving until the next deploy", old.get(0).app(),
                    newRevision);
            return;
        }
        List<String> previous = old.stream().filter(container -> container.revision() == newRevision - 1)
                .filter(LocalContainer::instance).map(LocalContainer::name).toList();
        if (!previous.isEmpty()) {
            podman(() -> podman.stop(previous), "stop " + previous);
        }
        old.stream().filter(container -> container.revision() != newRevision - 1).forEach(container ->
                podman(() -> podman.remove(container.name()), "remove " + container.name()));
    }

    /**
     * Whether {@code revision} may replace the older ones: it is a marker (scaled to zero: nothing to
     * answer), or one of its instances answers now. A revision whose deploy was cut short by a kill, or
     * whose instances crashed since, does not; and neither does one podman cannot list.
     */
    private boolean serving(AppRef app, int revision) {
        List<LocalContainer> containers;
        try {
            containers = podman.list(app).stream().filter(container -> container.revision() == revision).toList();
        } catch (IOException e) {
            return false;
        }
        return containers.stream().anyMatch(LocalContainer::marker) || containers.stream()
                .filter(LocalContainer::instance).anyMatch(container -> answers(container.port()));
    }

    /**
     * Ready means answering HTTP at all; an instance that exits (and has crashed as often as podman
     * restarts it) fails the rollout with its last log lines.
     */
    private void awaitAnswer(LocalContainer container, AppLimits limits) throws DeployFailure {
        Instant deadline = Instant.now().plus(properties.readyTimeout());
        while (Instant.now().isBefore(deadline)) {
            if (answers(container.port())) {
                return;
            }
            if (stoppedForGood(container)) {
                throw new DeployFailure(ReasonCodes.ROLLOUT_TIMEOUT, "instance " + container.name() + " exited"
                        + exitReason(container, limits) + " before answering on port " + container.port()
                        + "; its last lines: " + podman(() -> podman.logs(container.name()), "logs").output().strip(),
                        false, null);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployFailure(ReasonCodes.ROLLOUT_TIMEOUT, "interrupted while waiting", true, e);
            }
        }
        throw new DeployFailure(ReasonCodes.ROLLOUT_TIMEOUT, "instance " + container.name() + " did not answer HTTP "
                + "on port " + container.port() + " within " + properties.readyTimeout() + "; does the app listen "
                + "on $PORT?", false, null);
    }

    /**
     * The exit code, and for SIGKILL the likely cause: nothing else kills an app that is starting, and
     * podman's OOMKilled flag stays false on cgroup v1 machines, so it cannot be asked.
     */
    private String exitReason(LocalContainer container, AppLimits limits) {
        try {
            return podman.exitCode(container.name()).map(code -> " with exit code " + code + (code == SIGKILLED
                    ? " (killed; an app over its memory limit is killed so: it may use " + limits.describe() + ")"
                    : "")).orElse("");
        } catch (IOException unknown) {
            return "";
        }
    }

    /**
     * Whether the instance has stopped and podman will not start it again (its restarts after a crash
     * are used up); a podman that cannot say is no reason to fail the rollout.
     */
    private boolean stoppedForGood(LocalContainer container) {
        try {
            return podman.exitCode(container.name()).isPresent();
        } catch (IOException unknown) {
            return false;
        }
    }

    private static boolean answers(int port) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL()
                    .openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            connection.getResponseCode();
            connection.disconnect();
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static AppDeployed deployed(DeployRequested request, String image, String stageId, int revision,
                                        List<LocalContainer> instances, int desired) {
        return new AppDeployed(request.blobUid(), request.app(), stageId, image, revision, instances.size(),
                desired, request.settings(), instances.stream().map(LocalContainer::endpoint).toList());
    }

    /** The containers of the app's newest revision, running or not, its marker included. */
    private static List<LocalContainer> newestRevision(List<LocalContainer> all) {
        int newest = all.stream().mapToInt(LocalContainer::revision).max().orElse(0);
        return all.stream().filter(container -> container.revision() == newest)
                .sorted(Comparator.comparing(LocalContainer::name)).toList();
    }

    private static List<LocalContainer> newestRunning(List<LocalContainer> all) {
        int newest = all.stream().filter(LocalContainer::running).mapToInt(LocalContainer::revision).max().orElse(0);
        return all.stream().filter(container -> container.running() && container.revision() == newest)
                .sorted(Comparator.comparing(LocalContainer::name)).toList();
    }

    private int freePort(Set<Integer> taken) throws DeployFailure {
        for (int port = properties.firstPort(); port <= properties.lastPort(); port++) {
            if (!taken.contains(port) && bindable(port)) {
                return port;
            }
        }
        throw new DeployFailure(ReasonCodes.ROLLOUT_TIMEOUT, "no free port left in " + properties.ports()
                + " (slipway.local.ports)", false, null);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private List<LocalContainer> containers(AppRef app) throws DeployFailure {
        try {
            return podman.list(app);
        } catch (IOException e) {
            throw new DeployFailure(ReasonCodes.CLUSTER_UNAVAILABLE, "podman is not usable: " + e.getMessage(), true,
                    e);
        }
    }

    private static Map<String, String> labels(LocalContainer container) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(RuntimeLabels.APP, RuntimeLabels.localApp(container.app()));
        labels.put(RuntimeLabels.REVISION, String.valueOf(container.revision()));
        if (container.instance()) {
            labels.put(RuntimeLabels.PORT, String.valueOf(container.port()));
        }
        labels.put(RuntimeLabels.IMAGE, container.image());
        labels.put(RuntimeLabels.STAGE_ID, container.stageId());
        labels.put(RuntimeLabels.BLOB_UID, container.blobUid());
        return labels;
    }

    private String name(AppRef app, int revision, int instance) {
        // '_' cannot occur in namespaces and app names, so no two apps share a name
        return "slipway_" + properties.installation() + "_" + app.namespace() + "_" + app.name() + "_r" + revision
                + "_" + instance;
    }

    private String markerName(AppRef app, int revision) {
        return "slipway_" + properties.installation() + "_" + app.namespace() + "_" + app.name() + "_r" + revision
                + "_none";
    }

    private interface PodmanCall {
        Podman.Result call() throws IOException;
    }

    /** A podman call whose failure to run at all is logged and reported as a failed result. */
    private static Podman.Result podman(PodmanCall call, String what) {
        try {
            return call.call();
        } catch (IOException e) {
            log.warn("podman could not {}: {}", what, e.getMessage());
            return new Podman.Result(-1, e.getMessage());
        }
    }

    /**
     * The apps that ran when the service stopped run again (with {@code stop-apps-on-exit}): the newest
     * revision of each; an app whose newest revision is a marker (scaled to zero) stays at zero. Older
     * revisions are retired after the drain as after a deploy, whether or not the apps stopped with the
     * service: a retire the service had scheduled was lost if it was stopped or killed within the drain.
     */
    @Override
    public void start() {
        if (retirements.isShutdown()) {
            retirements = newRetirements();
        }
        running = true;
        try {
            List<LocalContainer> all = podman.list(null);
            Map<AppRef, List<LocalContainer>> byApp = new LinkedHashMap<>();
            all.forEach(container -> byApp.computeIfAbsent(container.app(), key -> new ArrayList<>()).add(container));
            for (List<LocalContainer> containers : byApp.values()) {
                int newest = containers.stream().mapToInt(LocalContainer::revision).max().orElse(0);
                if (properties.stopAppsOnExit()) {
                    containers.stream().filter(container -> container.revision() == newest && !container.running()
                                    && container.instance())
                            .forEach(container -> podman(() -> podman.start(container.name()),
                                    "start " + container.name()));
                }
                retireAfterDrain(containers, newest);
            }
        } catch (IOException e) {
            log.warn("cannot bring the apps back or retire their old revisions: {}", e.getMessage());
        }
    }

    private static ScheduledExecutorService newRetirements() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "retire-old-instances");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The apps stop with the service, all in one podman call so they stop at once: about
     * {@code slipway.local.app-stop-timeout} at most, however many there are.
     */
    @Override
    public void stop() {
        running = false;
        retirements.shutdownNow();
        if (!properties.stopAppsOnExit()) {
            return;
        }
        try {
            List<String> names = podman.list(null).stream().filter(LocalContainer::running)
                    .map(LocalContainer::name).toList();
            if (!names.isEmpty()) {
                Podman.Result stopped = podman(() -> podman.stop(names), "stop the apps");
                if (!stopped.ok()) {
                    log.warn("podman could not stop every app: {}", stopped.output().strip());
                }
            }
        } catch (IOException e) {
            log.warn("cannot stop the apps: {}", e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
