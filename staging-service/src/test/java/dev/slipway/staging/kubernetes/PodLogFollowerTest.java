package dev.slipway.staging.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Following a build container's log through fabric8's mock API server, which serves the log as the test says. */
class PodLogFollowerTest {

    private static final String NAMESPACE = "slipway-staging";
    private static final KubernetesMockServer CLUSTER = KubernetesMocks.startMixedServer();
    private static final KubernetesClient STAGING = KubernetesMocks.serviceClient(CLUSTER, "staging");
    private static final ExecutorService THREADS = Executors.newCachedThreadPool();
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @AfterAll
    static void stop() {
        THREADS.shutdownNow();
        STAGING.close();
        CLUSTER.destroy();
    }

    @Test
    void aStreamCutWhileTheContainerRunsIsResumedWithoutTellingALineTwice() {
        String pod = "stage-cut-x7k2p";
        // the first stream breaks off after two lines; the resumed one starts at the second's second again
        CLUSTER.expect().get().withPath(logPath(pod, "build", null)).andReturn(200, lines(1, 2)).once();
        CLUSTER.expect().get().withPath(logPath(pod, "build", START.plusMillis(2))).andReturn(200, lines(1, 4))
                .always();
        List<String> told = new CopyOnWriteArrayList<>();
        PodLogFollower follower = new PodLogFollower(STAGING, NAMESPACE, List.of("build"), told::add, THREADS);

        follower.seen(pod(pod, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> told.size() == 2);
        follower.seen(pod(pod, true));  // the next look at the pod: the container has ended since
        follower.finish(pod(pod, true), Duration.ofSeconds(10));

        assertThat(told).containsExactly("line 1", "line 2", "line 3", "line 4");
        assertThat(follower.tail("build")).containsExactly("line 1", "line 2", "line 3", "line 4");
    }

    @Test
    void aLogThatCannotBeReadEndsQuietlyAndSaysWhy() {
        String pod = "stage-gone-x7k2p";
        CLUSTER.expect().get().withPath(logPath(pod, "build", null)).andReturn(404, "{\"kind\":\"Status\","
                + "\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"pods \\\"" + pod + "\\\" not found\","
                + "\"reason\":\"NotFound\",\"code\":404}").always();
        List<String> told = new CopyOnWriteArrayList<>();
        PodLogFollower follower = new PodLogFollower(STAGING, NAMESPACE, List.of("build"), told::add, THREADS);

        follower.finish(pod(pod, true), Duration.ofSeconds(10));

        assertThat(told).isEmpty();
        assertThat(follower.unreadable()).isPresent();
    }

    @Test
    void aContainerThatNeverStartedIsSkippedOnceTheJobIsOver() {
        List<String> told = new CopyOnWriteArrayList<>();
        PodLogFollower follower = new PodLogFollower(STAGING, NAMESPACE, List.of("build"), told::add, THREADS);

        follower.finish(new PodBuilder().withNewMetadata().withName("stage-never-x7k2p").endMetadata()
                .withNewStatus().endStatus().build(), Duration.ofSeconds(10));

        assertThat(told).isEmpty();
        assertThat(follower.unreadable()).isEmpty();
    }

    private static String lines(int from, int to) {
        StringBuilder body = new StringBuilder();
        for (int i = from; i <= to; i++) {
            body.append(START.plusMillis(i)).append(" line ").append(i).append('\n');
        }
        return body.toString();
    }

    private static String logPath(String pod, String container, Instant since) {
        return "/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod + "/log?pretty=false&container=" + container
                + (since == null ? "" : "&sinceTime=" + since) + "&timestamps=true&follow=true";
    }

    private static Pod pod(String name, boolean ended) {
        var status = new ContainerStatusBuilder().withName("build").withNewState();
        var state = ended ? status.withNewTerminated().withExitCode(0).endTerminated()
                : status.withNewRunning().withStartedAt(START.toString()).endRunning();
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .withInitContainerStatuses(state.endState().build()).endStatus().build();
    }
}
