package dev.slipway.upload.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppRef;
import dev.slipway.events.RuntimeLabels;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The app's pods and their logs through fabric8's mock API server, as upload-service's ServiceAccount asks. */
class KubernetesRuntimeTest {

    private static final KubernetesMockServer CLUSTER = KubernetesMocks.startMixedServer();
    private static final KubernetesClient UPLOAD = KubernetesMocks.serviceClient(CLUSTER, "upload");
    private static final KubernetesClient ADMIN = CLUSTER.createClient();
    private static final AppRef SHOP = new AppRef("team", "shop");
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    private final KubernetesRuntime runtime = new KubernetesRuntime(UPLOAD);

    @BeforeAll
    static void pods() {
        ADMIN.pods().inNamespace("team").resource(pod("shop-7d9f-a", "shop", true, 0, "running")).create();
        ADMIN.pods().inNamespace("team").resource(pod("shop-7d9f-b", "shop", false, 4, "CrashLoopBackOff")).create();
        // another app in the namespace, and the same app name in another namespace
        ADMIN.pods().inNamespace("team").resource(pod("cart-1", "cart", true, 0, "running")).create();
        ADMIN.pods().inNamespace("other").resource(pod("shop-x", "shop", true, 0, "running")).create();
    }

    @AfterAll
    static void stop() {
        UPLOAD.close();
        ADMIN.close();
        CLUSTER.destroy();
    }

    @Test
    void theAppsPodsInItsNamespaceAreItsInstances() throws Exception {
        assertThat(runtime.instances(SHOP)).containsExactly(
                new Instance("shop-7d9f-a", "running", true, 0, START),
                new Instance("shop-7d9f-b", "waiting: CrashLoopBackOff", false, 4, null));
        assertThat(runtime.instances(new AppRef("team", "nothing"))).isEmpty();
    }

    @Test
    void eachPodsLogIsReadWithTimestampsBoundedAndCleaned() throws Exception {
        Instant since = Instant.parse("2026-12-01T10:05:00Z");
        CLUSTER.expect().get().withPath(logPath("shop-7d9f-a", since, false)).andReturn(200,
                "2026-12-01T10:06:00.000000001Z \u001b[1mhello\u001b[0m\n2026-12-01T10:06:01Z " + "y".repeat(9000) + "\n")
                .once();
        CLUSTER.expect().get().withPath(logPath("shop-7d9f-b", since, false)).andReturn(200,
                "2026-12-01T10:07:00Z panic: no database\n").once();
        List<LogLine> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        try (AppRuntime.LogReading reading = runtime.logs(SHOP, new AppRuntime.LogRequest(since, false, 100, 4096),
                sink(lines, ended))) {
            await().atMost(Duration.ofSeconds(20)).untilTrue(ended);
        }
        assertThat(lines).containsExactlyInAnyOrder(
                new LogLine("shop-7d9f-a", Instant.parse("2026-12-01T10:06:00.000000001Z"), "output", "hello"),
                new LogLine("shop-7d9f-a", Instant.parse("2026-12-01T10:06:01Z"), "output", "y".repeat(4096) + LogText.CUT),
                new LogLine("shop-7d9f-b", Instant.parse("2026-12-01T10:07:00Z"), "output", "panic: no database"));
    }

    @Test
    void aFollowReadsUntilTheApiServerEndsTheStream() throws Exception {
        CLUSTER.expect().get().withPath(logPath("shop-7d9f-a", null, true)).andReturn(200,
                "2026-12-01T10:06:00Z one\n2026-12-01T10:06:01Z two\n").once();
        CLUSTER.expect().get().withPath(logPath("shop-7d9f-b", null, true)).andReturn(200, "").once();
        List<LogLine> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        try (AppRuntime.LogReading reading = runtime.logs(SHOP, new AppRuntime.LogRequest(null, true, 100, 4096),
                sink(lines, ended))) {
            await().atMost(Duration.ofSeconds(20)).untilTrue(ended);
        }
        assertThat(lines).extracting(LogLine::line).containsExactly("one", "two");
    }

    private static String logPath(String pod, Instant since, boolean follow) {
        return "/api/v1/namespaces/team/pods/" + pod + "/log?pretty=false&container=app"
                + (since == null ? "" : "&sinceTime=" + since) + "&tailLines=100&timestamps=true"
                + (follow ? "&follow=true" : "");
    }

    private static AppRuntime.LogSink sink(List<LogLine> lines, AtomicBoolean ended) {
        return new AppRuntime.LogSink() {
            @Override
            public void line(LogLine line) {
                lines.add(line);
            }

            @Override
            public void ended() {
                ended.set(true);
            }
        };
    }

    private static Pod pod(String name, String app, boolean ready, int restarts, String state) {
        var status = new ContainerStatusBuilder().withName(KubernetesRuntime.CONTAINER).withReady(ready)
                .withRestartCount(restarts).withNewState();
        var built = "running".equals(state) ? status.withNewRunning().withStartedAt(START.toString()).endRunning()
                : status.withNewWaiting().withReason(state).endWaiting();
        return new PodBuilder().withNewMetadata().withName(name).addToLabels(RuntimeLabels.APP, app)
                .addToLabels(RuntimeLabels.MANAGED_BY, "slipway").endMetadata()
                .withNewStatus().withPhase("Running").withContainerStatuses(built.endState().build()).endStatus()
                .build();
    }
}
