package dev.slipway.staging.worker;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * DOWN when stage workers cannot be started (three tries in a row failed): every stage would fail,
 * so the operator must hear of it before the users do. Details say what runs now.
 */
public final class StageWorkersHealthIndicator extends AbstractHealthIndicator {

    static final int FAILED_STARTS_FOR_DOWN = 3;

    private final StageWorkers workers;

    public StageWorkersHealthIndicator(StageWorkers workers) {
        super("stage workers health check failed");
        this.workers = workers;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        StageWorkers.Status status = workers.status();
        builder.status(status.failedStartsInARow() >= FAILED_STARTS_FOR_DOWN ? "DOWN" : "UP")
                .withDetail("sparesReady", status.sparesReady())
                .withDetail("running", status.running())
                .withDetail("lastWarmupMillis", status.lastWarmupMillis())
                .withDetail("failedStartsInARow", status.failedStartsInARow());
        if (status.lastStartFailure() != null) {
            builder.withDetail("lastStartFailure", status.lastStartFailure());
        }
    }
}
