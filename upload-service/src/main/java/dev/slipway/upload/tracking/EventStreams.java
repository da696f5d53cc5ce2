package dev.slipway.upload.tracking;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The threads that feed open event streams (a CLI following a push, or an app's logs). A stream
 * stays open until its push ends, so a stopping service ends the streams itself, before the web server's graceful
 * shutdown would otherwise wait for them (the whole shutdown phase) as for any open request:
 * the clients see their stream end and can pick it up again once the service is back.
 */
@Component
public class EventStreams implements SmartLifecycle {

    private volatile ExecutorService threads = newThreads();
    private volatile boolean running;

    /** Runs {@code stream} on its own thread; false when the service is stopping and takes no new stream. */
    public boolean open(Runnable stream) {
        try {
            threads.execute(stream);
            return true;
        } catch (RejectedExecutionException stopping) {
            return false;
        }
    }

    /** Also after a stop: a paused context (tests cache them paused) is started again and must stream again. */
    @Override
    public void start() {
        if (threads.isShutdown()) {
            threads = newThreads();
        }
        running = true;
    }

    private static ExecutorService newThreads() {
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "push-event-stream");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Interrupts every stream: each ends its response at once (see PushesController; an app's log stream
     * first says so in its {@code end} event, see LogStream).
     */
    @Override
    public void stop() {
        running = false;
        threads.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown (a lower phase), which then finds the streams ended. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
