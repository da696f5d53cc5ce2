package dev.slipway.staging.kubernetes;

import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageStep;
import dev.slipway.staging.build.StageFailure;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs a staging Job and watches it through the Kubernetes API until it succeeds, fails, runs out
 * of time, or its pod cannot pull an image (where Epinio hung). Step durations come from the pod's
 * init containers (fetch, unpack) and build containers; the build's log is told line by line while it runs.
 */
public class KubernetesStager {

    private static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull");

    /** How long the build's log may take to be read to its end once the Job is over. */
    private static final Duration LOG_GRACE = Duration.ofSeconds(10);
    private static final java.util.concurrent.ExecutorService LOG_THREADS = java.util.concurrent.Executors
            .newCachedThreadPool(run -> {
                Thread thread = new Thread(run, "staging-job-log");
                thread.setDaemon(true);
                return thread;
            });

    private final KubernetesClient client;
    private final KubernetesBuildProperties properties;

    public KubernetesStager(KubernetesClient client, KubernetesBuildProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    KubernetesClient client() {
        return client;
    }

    /**
     * How the Job ended: succeeded or failed (with the Job controller's reason), per-step durations as the pod
     * reported them, each ended container's termination (exit code, message), and the build's last lines.
     */
    public record JobOutcome(boolean succeeded, String failure, Map<StageStep, Long> stepMillis,
                             Map<String, ContainerStateTerminated> ended, List<String> tail) {

        /** The termination message of {@code container} when it ended with {@code exitCode}. */
        Optional<String> message(String container, int exitCode) {
            return Optional.ofNullable(ended.get(container))
                    .filter(state -> state.getExitCode() != null && state.getExitCode() == exitCode)
                    .map(state -> state.getMessage() == null ? "" : state.getMessage().strip());
        }

        boolean failedIn(String container) {
            return Optional.ofNullable(ended.get(container))
                    .map(state -> state.getExitCode() != null && state.getExitCode() != 0).orElse(false);
        }
    }

    /** Makes {@code job} unless a Job of its name is there already (a redelivered stage); answers the Job as stored. */
    public Job create(Job job) throws StageFailure {
        String name = job.getMetadata().getName();
        try {
            Job existing = jobs().withName(name).get();
            return existing != null ? existing : jobs().resource(job).create();
        } catch (KubernetesClientException e) {
            throw new StageFailure(ReasonCodes.CLUSTER_UNAVAILABLE, "cannot create staging Job " + name + ": "
                    + e.getMessage() + "; replay the push once the cluster answers", true, e);
        }
    }

    /** Removes the Job (and so its pod); one already gone is fine. */
    public void delete(String jobName) {
        jobs().withName(jobName).delete();
    }

    /**
     * Watches the Job {@code name} until it ends, telling what {@code logged} containers print as they run
     * ({@link PodLogFollower}). A pod that cannot pull an image, or a Job past the stage's timeout, is deleted
     * and fails the stage.
     */
    public JobOutcome await(String name, List<String> logged, Consumer<String> lines) throws StageFailure {
        Instant deadline = Instant.now().plus(properties.timeout());
        try (PodLogFollower follower = new PodLogFollower(client, properties.namespace(), logged, lines, LOG_THREADS)) {
            while (true) {
                Job current = jobs().withName(name).get();
                Optional<Pod> pod = podOf(name);
                pod.ifPresent(follower::seen);
                if (current != null && current.getStatus() != null) {
                    boolean succeeded = count(current.getStatus().getSucceeded()) > 0;
                    if (succeeded || count(current.getStatus().getFailed()) > 0 || hasCondition(current, "Failed")) {
                        follower.finish(pod.orElse(null), LOG_GRACE);
                        List<String> tail = tail(follower, logged, pod);
                        return new JobOutcome(succeeded, succeeded ? null : failureMessage(current), stepMillis(pod),
                                ended(pod), tail);
                    }
                }
                Optional<String> pullFailure = pod.flatMap(this::pullFailure);
                if (pullFailure.isPresent()) {
                    delete(name);
                    throw new StageFailure(ReasonCodes.BUILDER_IMAGE_UNAVAILABLE, pullFailure.get()
                            + "; check the image name (--builder-image) and that the cluster can reach its registry",
                            false);
                }
                if (Instant.now().isAfter(deadline)) {
                    delete(name);
                    throw new StageFailure(ReasonCodes.BUILD_FAILED, "staging Job " + name + " did not finish within "
                            + properties.timeout(), true);
                }
                pause();
            }
        }
    }

    /**
     * The build's last lines: what the follower read of the last container that printed, else what the
     * kubelet kept of a failed container's log in its termination message, else why the log was unreadable.
     */
    private static List<String> tail(PodLogFollower follower, List<String> logged, Optional<Pod> pod) {
        for (int i = logged.size() - 1; i >= 0; i--) {
            List<String> lines = follower.tail(logged.get(i));
            if (!lines.isEmpty()) {
                return lines;
            }
        }
        Map<String, ContainerStateTerminated> ended = ended(pod);
        for (int i = logged.size() - 1; i >= 0; i--) {
            ContainerStateTerminated state = ended.get(logged.get(i));
            if (state != null && state.getMessage() != null && !state.getMessage().isBlank()) {
                return state.getMessage().strip().lines().toList();
            }
        }
        return follower.unreadable().map(why -> List.of("(the build log could not be read: " + why + ")"))
                .orElse(List.of());
    }

    private static Map<String, ContainerStateTerminated> ended(Optional<Pod> pod) {
        Map<String, ContainerStateTerminated> ended = new java.util.HashMap<>();
        pod.stream().flatMap(KubernetesStager::containerStatuses)
                .filter(status -> status.getState() != null && status.getState().getTerminated() != null)
                .forEach(status -> ended.put(status.getName(), status.getState().getTerminated()));
        return ended;
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Job, io.fabric8.kubernetes.api.model.batch.v1.JobList,
            io.fabric8.kubernetes.client.dsl.ScalableResource<Job>> jobs() {
        return client.batch().v1().jobs().inNamespace(properties.namespace());
    }

    private Optional<Pod> podOf(String jobName) {
        return client.pods().inNamespace(properties.namespace()).withLabel("job-name", jobName).list().getItems()
                .stream().findFirst();
    }

    /** A container that has waited for its image longer than allowed, named with the image and reason. */
    private Optional<String> pullFailure(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        OffsetDateTime created = pod.getMetadata().getCreationTimestamp() == null ? null
                : OffsetDateTime.parse(pod.getMetadata().getCreationTimestamp());
        boolean waitedTooLong = created == null
                || created.toInstant().plus(properties.imagePullTimeout()).isBefore(Instant.now());
        return containerStatuses(pod)
                .filter(status -> status.getState() != null && status.getState().getWaiting() != null
                        && PULL_FAILURES.contains(status.getState().getWaiting().getReason()))
                .filter(status -> waitedTooLong)
                .map(status -> "the " + status.getName() + " image " + status.getImage() + " cannot be pulled ("
                        + status.getState().getWaiting().getReason() + ": " + status.getState().getWaiting().getMessage()
                        + ")")
                .findFirst();
    }

    /** Each step's time: the sum of its containers' run times, as the kubelet reported them. */
    private static Map<StageStep, Long> stepMillis(Optional<Pod> pod) {
        Map<StageStep, Long> millis = new EnumMap<>(StageStep.class);
        pod.stream().flatMap(KubernetesStager::containerStatuses).forEach(status -> {
            StageStep step = StagingJobs.STEPS.get(status.getName());
            if (step != null && status.getState() != null && status.getState().getTerminated() != null
                    && status.getState().getTerminated().getStartedAt() != null
                    && status.getState().getTerminated().getFinishedAt() != null) {
                millis.merge(step, Duration.between(
                        OffsetDateTime.parse(status.getState().getTerminated().getStartedAt()),
                        OffsetDateTime.parse(status.getState().getTerminated().getFinishedAt())).toMillis(), Long::sum);
            }
        });
        return millis;
    }

    private static Stream<ContainerStatus> containerStatuses(Pod pod) {
        if (pod.getStatus() == null) {
            return Stream.empty();
        }
        return Stream.concat(
                pod.getStatus().getInitContainerStatuses() == null ? Stream.empty()
                        : pod.getStatus().getInitContainerStatuses().stream(),
                pod.getStatus().getContainerStatuses() == null ? Stream.empty()
                        : pod.getStatus().getContainerStatuses().stream());
    }

    private static boolean hasCondition(Job job, String type) {
        return job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
                .anyMatch(condition -> type.equals(condition.getType()) && "True".equals(condition.getStatus()));
    }

    private static String failureMessage(Job job) {
        return job.getStatus().getConditions() == null ? "no reason given" : job.getStatus().getConditions().stream()
                .filter(condition -> "Failed".equals(condition.getType()))
                .map(condition -> condition.getReason() + ": " + condition.getMessage())
                .findFirst().orElse("no reason given");
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }

    private void pause() throws StageFailure {
        try {
            TimeUnit.MILLISECONDS.sleep(properties.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure(ReasonCodes.BUILD_FAILED, "staging was interrupted", true, e);
        }
    }
}
