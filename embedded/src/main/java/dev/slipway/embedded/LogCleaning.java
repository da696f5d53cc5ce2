package dev.slipway.embedded;

import java.time.Duration;

/**
 * How often the embedded broker looks for expired records and how long a log segment stays open.
 * Kafka removes only whole closed segments, and only when its check runs, so an event can outlive its
 * topic's retention by up to these two: the defaults are Kafka's own (5 minutes, 7 days), small
 * against a retention of days; a retention of seconds (a test) needs both about as small.
 *
 * @param retentionCheckInterval {@code log.retention.check.interval.ms}
 * @param segmentRoll            {@code log.roll.ms}: a segment older than this is closed on the next write
 */
public record LogCleaning(Duration retentionCheckInterval, Duration segmentRoll) {

    public static final LogCleaning KAFKA_DEFAULTS = new LogCleaning(Duration.ofMinutes(5), Duration.ofDays(7));

    public LogCleaning {
        if (retentionCheckInterval.toMillis() < 1 || segmentRoll.toMillis() < 1) {
            throw new IllegalArgumentException("the retention check and the segment roll need at least 1 ms, got "
                    + retentionCheckInterval + " and " + segmentRoll);
        }
    }

    /**
     * Kafka's defaults, each shortened to a quarter of {@code retention} when that is shorter, so an
     * event is gone at most about one and a half retentions after it was written.
     */
    public static LogCleaning forRetention(Duration retention) {
        Duration quarter = retention.dividedBy(4).compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1)
                : retention.dividedBy(4);
        return new LogCleaning(min(KAFKA_DEFAULTS.retentionCheckInterval(), quarter),
                min(KAFKA_DEFAULTS.segmentRoll(), quarter));
    }

    private static Duration min(Duration one, Duration other) {
        return one.compareTo(other) <= 0 ? one : other;
    }
}
