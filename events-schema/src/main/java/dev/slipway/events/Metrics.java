package dev.slipway.events;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The platform's metric names and tags, shared by the services that record them, the dashboard and the
 * docs. Names are Micrometer's (dots); Prometheus shows them with underscores, timers in seconds with
 * {@code _seconds_bucket|_count|_sum|_max}, counters with {@code _total}.
 *
 * <p>Every tag has few values: steps, app kinds, outcomes, reason codes and status classes. Push ids,
 * app names and hosts never become tags (each would make a series of its own, without end).
 */
public final class Metrics {

    /** Timer (histogram), tags {@link #STEP} and {@link #KIND}: how long each staging step took. */
    public static final String STAGE_DURATION = "slipway.stage.duration";
    /** Counter, tags {@link #OUTCOME} (succeeded, failed) and {@link #REASON}: how stages ended. */
    public static final String STAGE_OUTCOMES = "slipway.stage.outcomes";
    /** Timer (histogram), tag {@link #OUTCOME}: how long a deploy took, from request to outcome. */
    public static final String DEPLOY_DURATION = "slipway.deploy.duration";
    /** Counter, tags {@link #OUTCOME} (deployed, failed) and {@link #REASON}: how deploys ended. */
    public static final String DEPLOY_OUTCOMES = "slipway.deploy.outcomes";
    /** Counter, tags {@link #OUTCOME} (ready, failed) and {@link #REASON}: how route changes ended. */
    public static final String ROUTE_OUTCOMES = "slipway.route.outcomes";
    /** Counter, tags {@link #OUTCOME} (online, failed, superseded) and {@link #REASON}: how pushes ended. */
    public static final String PUSH_OUTCOMES = "slipway.push.outcomes";
    /** Counter, tags {@link #RESULT} (delivered, failed, gave-up) and {@link #STATUS}: webhook deliveries. */
    public static final String WEBHOOK_DELIVERIES = "slipway.webhook.deliveries";
    /**
     * Gauge of the Kafka client (bound by Spring Boot to each consumer): the most records a consumer is
     * behind on any of its partitions. Tagged by the client's {@code client.id}, {@code topic} and
     * {@code partition} among others.
     */
    public static final String CONSUMER_LAG = "kafka.consumer.fetch.manager.records.lag.max";

    public static final String STEP = "step";
    public static final String KIND = "kind";
    public static final String OUTCOME = "outcome";
    public static final String REASON = "reason";
    public static final String RESULT = "result";
    public static final String STATUS = "status";

    /** The {@link #REASON} of an outcome that did not fail. */
    public static final String NO_REASON = "NONE";
    /** The {@link #REASON} of a code that {@link ReasonCodes} does not declare. */
    public static final String OTHER_REASON = "OTHER";
    /** The {@link #KIND} when a stage ended before its app's kind was known. */
    public static final String UNKNOWN_KIND = "unknown";
    /** The {@link #STATUS} of a webhook delivery that got no HTTP answer. */
    public static final String NO_STATUS = "none";

    /** Every metric the services record, for the dashboard's check and the docs. */
    public static final List<String> ALL = List.of(STAGE_DURATION, STAGE_OUTCOMES, DEPLOY_DURATION, DEPLOY_OUTCOMES,
            ROUTE_OUTCOMES, PUSH_OUTCOMES, WEBHOOK_DELIVERIES, CONSUMER_LAG);

    private static final Set<String> REASON_CODES = Arrays.stream(ReasonCodes.class.getDeclaredFields())
            .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
            .map(Metrics::constant)
            .collect(Collectors.toUnmodifiableSet());

    private Metrics() {
    }

    /** The reason tag of a failure's code: the code when {@link ReasonCodes} declares it, else {@link #OTHER_REASON}. */
    public static String reason(String code) {
        if (code == null) {
            return NO_REASON;
        }
        return REASON_CODES.contains(code) ? code : OTHER_REASON;
    }

    /** The status tag of an HTTP answer: {@code 2xx} .. {@code 5xx}, or {@link #NO_STATUS} without one. */
    public static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : NO_STATUS;
    }

    /** The name Prometheus shows for {@code name}, before the suffixes of its type. */
    public static String prometheusName(String name) {
        return name.replace('.', '_').replace('-', '_').toLowerCase(Locale.ROOT);
    }

    private static String constant(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
