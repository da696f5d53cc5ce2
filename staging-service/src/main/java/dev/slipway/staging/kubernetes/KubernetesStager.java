package dev.slipway.staging.kubernetes;

import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageStep;
import dev.slipway.staging.build.StageFailure;
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
import java.util.stream.Stream;

/**
 * Runs a staging Job and watches it through the Kubernetes API until it succeeds, fails, runs out
 * of time, or its pod cannot pull an image (where Epinio hung). Step durations come from the pod's
 * init containers (fetch, unpack) and build container; the build's log comes back as lines.
 */
public class KubernetesStager {

    private static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull");

    private final KubernetesClient client;
    private final KubernetesBuildProperties properties;

    public KubernetesStager(KubernetesClient client, KubernetesBuildProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    /** How the Job went: per-step durations as the pod reported them, and the build's log. */
    public record JobOutcome(Map<StageStep, Long> stepMillis, List<String> log) {
    }

    public JobOutcome run(Job job) throws StageFailure {
        String name = job.getMetadata().getName();
        try {
            if (jobs().withName(name).get() == null) {
                jobs().resource(job).create();
            }
        } catch (KubernetesClientException e) {
            throw new StageFailure(ReasonCodes.CLUSTER_UNAVAILABLE, "cannot create staging Job " + name + ": "
                    + e.getMessage() + "; replay the push once the cluster answers", true, e);
        }
        Instant deadline = Instant.now().plus(properties.timeout());
        while (true) {
            Job current = jobs().withName(name).get();
            Optional<Pod> pod = podOf(name);
            if (current != null && current.getStatus() != null) {
                if (count(current.getStatus().getSucceeded()) > 0) {
                    return new JobOutcome(stepMillis(pod), log(pod));
                }
                if (count(current.getStatus().getFailed()) > 0 || hasCondition(current, "Failed")) {
                    throw new StageFailure(ReasonCodes.BUILD_FAILED, "staging Job " + name + " failed: "
                            + failureMessage(current) + "; its log is in the stage's log events", false)
                            .withLog(log(pod));
                }
            }
            Optional<String> pullFailure = pod.flatMap(this::pullFailure);
            if (pullFailure.isPresent()) {
                jobs().withName(name).delete();
                throw new StageFailure(ReasonCodes.BUILDER_IMAGE_UNAVAILABLE, pullFailure.get()
                        + "; check the image name (--builder-image) and that the cluster can reach its registry",
                        false);
            }
            if (Instant.now().isAfter(deadline)) {
                jobs().withName(name).delete();
                throw new StageFailure(ReasonCodes.BUILD_FAILED, "staging Job " + name + " did not finish within "
                        + properties.timeout(), true);
            }
            pause();
        }
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

    /** The lifecycle phases' logs, in the order they ran; a phase that never started has none. */
    private List<String> log(Optional<Pod> pod) {
        if (pod.isEmpty()) {
            return List.of();
        }
        List<String> lines = new java.util.ArrayList<>();
        String unreadable = null;
        for (String container : StagingJobs.STEPS.keySet()) {
            if (StagingJobs.STEPS.get(container) != StageStep.BUILD) {
                continue;
            }
            try {
                String log = client.pods().inNamespace(properties.namespace())
                        .withName(pod.get().getMetadata().getName()).inContainer(container).getLog();
                if (log != null) {
                    log.lines().forEach(lines::add);
                }
            } catch (KubernetesClientException unavailable) {
                unreadable = unavailable.getMessage();
            }
        }
        if (lines.isEmpty() && unreadable != null) {
            return List.of("(the build log could not be read: " + unreadable + ")");
        }
        return lines;
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
