package dev.slipway.staging.kubernetes;

import dev.slipway.events.logging.EventMdc;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Follows a staging pod's build containers' logs while they run, one container after the other in the
 * order they run, and hands each line on as it comes (without the timestamp the API server puts on each;
 * a line without one is the server's own answer, such as an error, and is not the build's). The stager tells it
 * the pod's latest state ({@link #seen}); a container that never starts is skipped once the Job is over.
 * A stream that drops while its container still runs is resumed from the last line's timestamp (lines
 * already told are not told again), at most {@link #MAX_RESUMES} times per container; then, or when the
 * log cannot be read at all, the follower stops quietly: a lost log never fails a stage.
 */
final class PodLogFollower implements AutoCloseable {

    static final int MAX_RESUMES = 5;
    /** Lines kept of each container's end, for a failure's message. */
    static final int TAIL_LINES = 50;

    private final KubernetesClient client;
    private final String namespace;
    private final List<String> containers;
    private final Consumer<String> lines;
    private final Map<String, Deque<String>> tails = new HashMap<>();
    private final Future<?> running;
    private Pod pod;
    private long podVersion;
    private boolean jobOver;
    private boolean stopped;
    private LogWatch open;
    private String unreadable;

    PodLogFollower(KubernetesClient client, String namespace, List<String> containers, Consumer<String> lines,
                   ExecutorService threads) {
        this.client = client;
        this.namespace = namespace;
        this.containers = List.copyOf(containers);
        this.lines = lines;
        this.running = threads.submit(EventMdc.carrying(this::followAll));
    }

    /** The pod as the stager last saw it. */
    synchronized void seen(Pod latest) {
        pod = latest;
        podVersion++;
        notifyAll();
    }

    /**
     * The Job is over: what the containers printed is read to its end, for at most {@code grace}; then the
     * follower stops.
     */
    void finish(Pod latest, Duration grace) {
        synchronized (this) {
            if (latest != null) {
                pod = latest;
            }
            jobOver = true;
            podVersion++;
            notifyAll();
        }
        try {
            running.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        } catch (java.util.concurrent.ExecutionException unexpected) {
            // followAll catches what it can meet; nothing to add to the stage
        }
    }

    /** Stops at once: a stream being read is closed. */
    @Override
    public void close() {
        LogWatch watch;
        synchronized (this) {
            stopped = true;
            watch = open;
            notifyAll();
        }
        if (watch != null) {
            watch.close();
        }
        running.cancel(true);
    }

    /** The last lines {@code container} printed (at most {@link #TAIL_LINES}). */
    synchronized List<String> tail(String container) {
        return List.copyOf(tails.getOrDefault(container, new ArrayDeque<>()));
    }

    /** Why a log could not be read, when none of it could. */
    synchronized Optional<String> unreadable() {
        return tails.isEmpty() ? Optional.ofNullable(unreadable) : Optional.empty();
    }

    private void followAll() {
        for (String container : containers) {
            Optional<String> podName = awaitStarted(container);
            if (podName.isEmpty()) {
                if (isStopped()) {
                    return;
                }
                continue;
            }
            follow(podName.get(), container);
        }
    }

    /** Waits until {@code container} runs or ran; empty when the Job ended without it. */
    private synchronized Optional<String> awaitStarted(String container) {
        while (!stopped) {
            Optional<ContainerState> state = state(container);
            if (state.isPresent() && (state.get().getRunning() != null || state.get().getTerminated() != null)) {
                return Optional.of(pod.getMetadata().getName());
            }
            if (jobOver) {
                return Optional.empty();
            }
            waitForNews(podVersion);
        }
        return Optional.empty();
    }

    private void follow(String podName, String container) {
        Instant last = null;
        for (int attempt = 0; attempt <= MAX_RESUMES; attempt++) {
            boolean endedBeforeOpen;
            long version;
            synchronized (this) {
                if (stopped) {
                    return;
                }
                endedBeforeOpen = state(container).map(state -> state.getTerminated() != null).orElse(false);
                version = podVersion;
            }
            try {
                last = read(podName, container, last);
            } catch (RuntimeException | java.io.IOException dropped) {
                synchronized (this) {
                    unreadable = dropped.getMessage();
                }
            }
            if (endedBeforeOpen) {
                return;  // the log was complete when it was asked for
            }
            synchronized (this) {
                waitForNews(version);  // the stream ended: has the container, or was the stream cut?
            }
        }
    }

    /** Reads the log from {@code since} (exclusive) on; answers the last told line's time. */
    private Instant read(String podName, String container, Instant since) throws java.io.IOException {
        var log = client.pods().inNamespace(namespace).withName(podName).inContainer(container)
                .withReadyWaitTimeout(0).usingTimestamps();
        LogWatch watch = since == null ? log.watchLog() : log.sinceTime(since.toString()).watchLog();
        synchronized (this) {
            if (stopped) {
                watch.close();
                return since;
            }
            open = watch;
        }
        Instant last = since;
        try (watch; BufferedReader reader = new BufferedReader(new InputStreamReader(watch.getOutput(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                int space = line.indexOf(' ');
                Instant at = space > 0 ? timestamp(line.substring(0, space)) : null;
                if (at == null) {
                    // the API server stamps every line it reads from the kubelet: anything else is its own
                    // answer (an error Status), not the build's
                    synchronized (this) {
                        unreadable = line.length() > 300 ? line.substring(0, 300) + "..." : line;
                    }
                    continue;
                }
                if (last != null && !at.isAfter(last)) {
                    continue;  // told before the stream was resumed
                }
                last = at;
                tell(container, line.substring(space + 1));
            }
        } finally {
            synchronized (this) {
                open = null;
            }
        }
        return last;
    }

    private void tell(String container, String line) {
        synchronized (this) {
            Deque<String> tail = tails.computeIfAbsent(container, name -> new ArrayDeque<>());
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
        }
        lines.accept(line);
    }

    private static Instant timestamp(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notOne) {
            return null;
        }
    }

    private Optional<ContainerState> state(String container) {
        if (pod == null || pod.getStatus() == null) {
            return Optional.empty();
        }
        return Stream.concat(
                        Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).stream().flatMap(List::stream),
                        Optional.ofNullable(pod.getStatus().getContainerStatuses()).stream().flatMap(List::stream))
                .filter(status -> container.equals(status.getName())).map(ContainerStatus::getState)
                .filter(java.util.Objects::nonNull).findFirst();
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    /** Waits (holding this monitor) until the stager tells something new after {@code version}. */
    private void waitForNews(long version) {
        while (podVersion == version && !stopped && !jobOver) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }
}
