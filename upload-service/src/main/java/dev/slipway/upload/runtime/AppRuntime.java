package dev.slipway.upload.runtime;

import dev.slipway.events.AppRef;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Where an app's instances run, read-only: which instances there are, in what state, and what they
 * print. Podman on this machine or a Kubernetes cluster ({@code slipway.runtime}); either way the
 * reading happens outside this JVM's trust in the app: its lines are bounded and cleaned.
 */
interface AppRuntime {

    /** The instances of the app's current release, by name; empty when it runs none. */
    List<Instance> instances(AppRef app) throws IOException;

    /**
     * Starts reading the logs of the app's instances into {@code sink} on threads of its own and
     * answers at once; {@link LogReading#close()} stops the reading (and whatever it started).
     */
    LogReading logs(AppRef app, LogRequest request, LogSink sink) throws IOException;

    /**
     * What to read: lines since a moment (null: what the runtime keeps), at most {@code tail} per
     * instance from before now, then, with {@code follow}, new ones as they come; each line cut at
     * {@code maxLineBytes}.
     */
    record LogRequest(Instant since, boolean follow, int tail, int maxLineBytes) {
    }

    /** Where lines go; {@link #line} may block (the client reads slowly), which holds up the reading. */
    interface LogSink {

        void line(LogLine line) throws InterruptedException;

        /** Every instance's log has ended (not called after close); may block as {@link #line} does. */
        void ended();
    }

    /** A reading in progress. */
    interface LogReading extends AutoCloseable {

        /** Stops reading: processes end, connections close; safe to call more than once. */
        @Override
        void close();
    }
}
