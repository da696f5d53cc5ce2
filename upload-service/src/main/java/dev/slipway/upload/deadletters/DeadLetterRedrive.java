package dev.slipway.upload.deadletters;

import dev.slipway.events.logging.EventMdc;
import dev.slipway.events.spring.DeadLetterRecords;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.auth.Caller;
import dev.slipway.upload.deadletters.Redrives.Redrive;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Sends dead letters back: the attempt mark is cleared first (so the consumer does not count old
 * deaths against the record), then the original record goes to the event log, then the redrive is
 * remembered. One redrive at a time on a replica, so two requests for the same letter send it once.
 */
class DeadLetterRedrive {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRedrive.class);
    private static final Logger audit = LoggerFactory.getLogger("dev.slipway.audit");

    private final DeadLetterTopics topics;
    private final Redrives redrives;
    private final Producer<byte[], byte[]> producer;
    private final Clock clock;

    DeadLetterRedrive(DeadLetterTopics topics, Redrives redrives, Producer<byte[], byte[]> producer, Clock clock) {
        this.topics = topics;
        this.redrives = redrives;
        this.producer = producer;
        this.clock = clock;
    }

    /** What a redrive did: the ids sent back, and those left with why. */
    record Outcome(String service, List<String> redriven, Map<String, String> skipped) {
    }

    /**
     * Redrives the named dead letters of {@code service}, or all that can be when {@code ids} is empty.
     * Named ones are checked before any is sent: unknown (404), not the caller's (403) or unreadable
     * (422) refuse the whole request.
     */
    synchronized Outcome redrive(Caller caller, String service, Set<String> ids) {
        List<DeadLetter> letters = topics.of(service);
        List<DeadLetter> chosen = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            for (DeadLetter letter : letters) {
                if (!DeadLetterAccess.canSee(caller, letter)) {
                    continue;
                }
                if (letter.event().isEmpty()) {
                    skipped.put(letter.id(), unreadable(letter));
                } else {
                    chosen.add(letter);
                }
            }
        } else {
            Map<String, DeadLetter> byId = new LinkedHashMap<>();
            letters.forEach(letter -> byId.put(letter.id(), letter));
            for (String id : ids) {
                DeadLetter letter = byId.get(id);
                if (letter == null) {
                    throw ApiException.notFound("no dead letter " + id + " of " + service + "; list them with "
                            + "GET /api/v1/dead-letters?service=" + service);
                }
                if (!DeadLetterAccess.canSee(caller, letter)) {
                    throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "dead letter " + id + " is not of a "
                            + "namespace user " + caller.username() + " administers; nothing was redriven");
                }
                if (letter.event().isEmpty()) {
                    throw ApiException.unprocessable("dead letter " + id + " cannot be redriven: " + unreadable(letter));
                }
                chosen.add(letter);
            }
        }
        List<String> redriven = new ArrayList<>();
        for (DeadLetter letter : chosen) {
            var done = redrives.of(letter);
            if (done.isPresent()) {
                skipped.put(letter.id(), "already redriven at " + done.get().at() + " by " + done.get().by());
                continue;
            }
            // the letter's own push in the log lines of its redrive (chosen letters are readable events)
            try (EventMdc.Scope redriving = EventMdc.open(letter.event().orElseThrow())) {
                send(DeadLetterRecords.clearAttempts(service, letter.eventId().orElseThrow()));
                send(DeadLetterRecords.original(letter.record()));
                redrives.record(letter, new Redrive(clock.instant(), caller.username()));
                audit.info("dead letter {} of {} (event {}) redriven by {}", letter.id(), service,
                        letter.eventId().orElseThrow(), caller.username());
            }
            redriven.add(letter.id());
        }
        return new Outcome(service, redriven, skipped);
    }

    private static String unreadable(DeadLetter letter) {
        return "it is not a readable Slipway event (" + letter.unreadable() + "); sent back it would only be "
                + "dead-lettered again. Fix or drop it with Kafka's tools";
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("could not write to {}: {}", record.topic(), e.getMessage());
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "event log unavailable", record.topic()
                    + " did not take the record (" + e.getMessage() + "); try again shortly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redriving", e);
        }
    }
}
