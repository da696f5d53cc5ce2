package dev.slipway.upload.runtime;

import java.time.Instant;

/**
 * One running (or crashed, or starting) instance of an app, as its runtime sees it.
 *
 * @param name      the container's (local) or pod's (Kubernetes) name; log lines name it too
 * @param state     running, waiting, restarting, exited, created... (a waiting pod says why, e.g.
 *                  {@code waiting: CrashLoopBackOff})
 * @param ready     whether it takes requests: running locally, its readiness on Kubernetes
 * @param restarts  how often the runtime started it again after it ended
 * @param startedAt when its current run started; null when it never ran
 */
public record Instance(String name, String state, boolean ready, int restarts, Instant startedAt) {
}
