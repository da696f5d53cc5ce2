package dev.slipway.bench.replay;

/**
 * What one replica showed: times in seconds since its process started, memory in bytes, request
 * times in milliseconds. A failed run keeps what was measured before it failed (others are null).
 *
 * @param readinessUp      when {@code /actuator/health/readiness} first answered UP
 * @param healthUp         when {@code /actuator/health} (the read models' catch-up included) first answered UP
 * @param heapPeakAfterGc  the largest heap in use right after a collection, start to end of the reads
 * @param heapRetained     the heap in use after a full collection once caught up and read from
 * @param rssPeak          the process's peak resident memory (VmHWM): heap, off-heap stores, code, threads
 */
public record ReplayResult(String label, String failure, Double readinessUp, Double healthUp, Long heapPeakAfterGc,
                           Long heapRetained, long rssPeak, long gcPauses, Percentiles pushReads,
                           Percentiles auditPages) {

    /** Caught up when both signals are UP: the later of the two. */
    public Double catchUp() {
        return readinessUp == null || healthUp == null ? null : Math.max(readinessUp, healthUp);
    }

    public boolean failed() {
        return failure != null;
    }
}
