package dev.slipway.upload.runtime;

import dev.slipway.events.AppRef;
import dev.slipway.events.RuntimeLabels;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;

/**
 * An app's pods on Kubernetes: those the application chart labels with the app's name in the app's
 * namespace; their {@code app} container's status, and its log through the API server (which merges
 * stdout and stderr). Needs {@code list} on pods and {@code get} on {@code pods/log} there.
 */
final class KubernetesRuntime implements AppRuntime {

    /** The container of the app in each pod of the application chart. */
    static final String CONTAINER = "app";

    private final KubernetesClient client;

    KubernetesRuntime(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public List<Instance> instances(AppRef app) throws IOException {
        return pods(app).stream().map(KubernetesRuntime::instance).sorted(Comparator.comparing(Instance::name))
                .toList();
    }

    @Override
    public LogReading logs(AppRef app, LogRequest request, LogSink sink) throws IOException {
        List<String> names = pods(app).stream().map(pod -> pod.getMetadata().getName()).sorted().toList();
        LogSources sources = new LogSources(sink, request.maxLineBytes());
        if (names.isEmpty()) {
            sink.ended();
            return sources;
        }
        sources.expect(names.size());
        try {
            for (String name : names) {
                TimeTailPrettyLoggable log = client.pods().inNamespace(app.namespace()).withName(name)
                        .inContainer(CONTAINER).usingTimestamps();
                PrettyLoggable bounded = (request.since() == null ? log
                        : log.sinceTime(DateTimeFormatter.ISO_INSTANT.format(request.since())))
                        .tailingLines(request.tail());
                InputStream lines;
                if (request.follow()) {
                    LogWatch watch = bounded.watchLog();
                    sources.onClose(watch::close);
                    lines = watch.getOutput();
                } else {
                    lines = bounded.getLogInputStream();
                    sources.onClose(() -> closeQuietly(lines));
                }
                sources.read(name, "output", lines);
            }
        } catch (KubernetesClientException failed) {
            sources.close();
            throw new IOException("the Kubernetes API refused the logs of " + app + ": " + failed.getMessage(), failed);
        }
        return sources;
    }

    private List<Pod> pods(AppRef app) throws IOException {
        try {
            return client.pods().inNamespace(app.namespace()).withLabel(RuntimeLabels.APP, app.name()).list()
                    .getItems();
        } catch (KubernetesClientException failed) {
            throw new IOException("the Kubernetes API did not list the pods of " + app + ": " + failed.getMessage(),
                    failed);
        }
    }

    /** The app container's status: waiting and terminated states say why, as kubectl does. */
    static Instance instance(Pod pod) {
        String name = pod.getMetadata().getName();
        ContainerStatus status = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? null
                : pod.getStatus().getContainerStatuses().stream().filter(each -> CONTAINER.equals(each.getName()))
                .findFirst().orElse(null);
        if (status == null) {
            String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "pending"
                    : pod.getStatus().getPhase().toLowerCase(java.util.Locale.ROOT);
            return new Instance(name, phase, false, 0, null);
        }
        ContainerState state = status.getState();
        String shown = "unknown";
        Instant started = null;
        if (state != null && state.getRunning() != null) {
            shown = "running";
            started = time(state.getRunning().getStartedAt());
        } else if (state != null && state.getWaiting() != null) {
            shown = "waiting" + (state.getWaiting().getReason() == null ? "" : ": " + state.getWaiting().getReason());
        } else if (state != null && state.getTerminated() != null) {
            shown = "terminated" + (state.getTerminated().getReason() == null ? ""
                    : ": " + state.getTerminated().getReason());
            started = time(state.getTerminated().getStartedAt());
        }
        return new Instance(name, shown, Boolean.TRUE.equals(status.getReady()),
                status.getRestartCount() == null ? 0 : status.getRestartCount(), started);
    }

    private static Instant time(String value) {
        try {
            return value == null ? null : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing to stop: nothing left to do
        }
    }
}
