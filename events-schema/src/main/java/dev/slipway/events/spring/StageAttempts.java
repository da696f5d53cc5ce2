package dev.slipway.events.spring;

import dev.slipway.events.Event;
import dev.slipway.events.Failure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.Topics;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's attempts at its stage inputs, marked durably in {@link Topics#STAGE_ATTEMPTS} before the
 * work starts and cleared when it ends. A record whose handling kills the process is never committed,
 * so it comes back after every restart; the marks that stay count those deaths, and after
 * {@link #max()} of them the input is failed with {@code STAGE_CRASHED} instead of run again (see
 * {@link StageBindings#consumer(java.util.function.BiConsumer, StageInputs, StageAttempts,
 * org.springframework.cloud.stream.function.StreamBridge)}).
 */
public class StageAttempts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StageAttempts.class);

    private final URI source;
    private final String group;
    private final int max;
    private final AttemptLedger ledger;

    /**
     * @param source      the service's event source, for the failed events it answers crashed inputs with
     * @param group       the consumer group of the service's stage binding (its dead-letter topic's suffix)
     * @param kafkaConfig how to reach the broker
     */
    public StageAttempts(EventSource source, String group, Map<String, Object> kafkaConfig,
                         StageAttemptsProperties properties) {
        this.source = source.uri();
        this.group = group;
        this.max = properties.max();
        this.ledger = new AttemptLedger(group, kafkaConfig, properties.timeout());
    }

    /** How many deaths an input may cause before it is failed instead of run again. */
    public int max() {
        return max;
    }

    public String group() {
        return group;
    }

    URI source() {
        return source;
    }

    int unfinished(String eventId) {
        return ledger.unfinished(eventId);
    }

    void begin(String eventId, int attempt) {
        ledger.begin(eventId, attempt);
    }

    /**
     * Clears the mark; never throws, as it runs after the work, whose outcome must not be masked. A
     * mark that could not be cleared only counts one death too many if the record comes back.
     */
    void end(String eventId) {
        try {
            ledger.end(eventId);
        } catch (RuntimeException e) {
            log.warn("could not clear the attempt mark of {} in {}: {}", eventId, Topics.STAGE_ATTEMPTS,
                    e.getMessage());
        }
    }

    /** Why an input is not run again, and what to do about it, for its failed event and dead letter. */
    Failure crashed(Event<?> input, int crashes) {
        return new Failure(ReasonCodes.STAGE_CRASHED, input.type().type() + " " + input.id() + " crashed " + group
                + " " + crashes + " times: each time the process died while handling it (killed, out of memory, "
                + "crashed), so it is not run again. It is in " + Topics.deadLetter(group) + "; after a fix, replay "
                + "the push (slipway replay " + input.correlationId() + ")", false);
    }

    @Override
    public void close() {
        ledger.close();
    }
}
