package dev.slipway.upload.deadletters;

import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.auth.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/dead-letters[?service=]} lists what services gave up on;
 * {@code POST /api/v1/dead-letters/redrive} sends dead letters back to the event log, each once.
 */
@RestController
class DeadLettersController {

    /** A consumer group as the services name theirs; anything else names no dead-letter topic. */
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern ID = Pattern.compile("\\d{1,9}-\\d{1,18}");
    private static final int MAX_IDS = 1000;

    private final DeadLetterTopics topics;
    private final Redrives redrives;
    private final DeadLetterRedrive redrive;

    DeadLettersController(DeadLetterTopics topics, Redrives redrives, DeadLetterRedrive redrive) {
        this.topics = topics;
        this.redrives = redrives;
        this.redrive = redrive;
    }

    /** {@code ids} names dead letters ({@code <partition>-<offset>}); {@code all} takes every one instead. */
    record RedriveRequest(String service, List<String> ids, Boolean all) {
    }

    @GetMapping("/api/v1/dead-letters")
    List<Map<String, Object>> list(@RequestParam(required = false) String service, Caller caller) {
        DeadLetterAccess.requireAdmin(caller);
        List<String> services = service == null ? topics.services() : List.of(checkedService(service));
        List<Map<String, Object>> shown = new ArrayList<>();
        for (String each : services) {
            topics.of(each).stream().filter(letter -> DeadLetterAccess.canSee(caller, letter))
                    .map(this::describe).forEach(shown::add);
        }
        return shown;
    }

    @PostMapping("/api/v1/dead-letters/redrive")
    DeadLetterRedrive.Outcome redrive(@RequestBody RedriveRequest request, Caller caller) {
        DeadLetterAccess.requireAdmin(caller);
        if (request == null || request.service() == null) {
            throw ApiException.badRequest("name the service whose dead letters to redrive: {\"service\": ..., "
                    + "\"ids\": [...]} or {\"service\": ..., \"all\": true}");
        }
        String service = checkedService(request.service());
        boolean all = Boolean.TRUE.equals(request.all());
        List<String> ids = request.ids() == null ? List.of() : request.ids();
        if (all == !ids.isEmpty()) {
            throw ApiException.badRequest("give either \"ids\" (dead letters as <partition>-<offset>, see GET "
                    + "/api/v1/dead-letters) or \"all\": true, not both and not neither");
        }
        if (ids.size() > MAX_IDS) {
            throw ApiException.badRequest("at most " + MAX_IDS + " ids in one redrive, got " + ids.size());
        }
        Set<String> checked = new LinkedHashSet<>();
        for (String id : ids) {
            if (id == null || !ID.matcher(id).matches()) {
                throw ApiException.badRequest("'" + (id == null ? "null" : truncated(id)) + "' is not a dead letter "
                        + "id; ids are <partition>-<offset>, as GET /api/v1/dead-letters lists them");
            }
            checked.add(id);
        }
        if (!all && !topics.services().contains(service)) {
            throw ApiException.notFound("service " + service + " has no dead letters");
        }
        return redrive.redrive(caller, service, checked);
    }

    private Map<String, Object> describe(DeadLetter letter) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", letter.id());
        shown.put("service", letter.service());
        shown.put("topic", letter.record().topic());
        shown.put("partition", letter.record().partition());
        shown.put("offset", letter.record().offset());
        shown.put("eventId", letter.eventId().orElse(null));
        shown.put("type", letter.type().orElse(null));
        shown.put("app", letter.app().map(Object::toString).orElse(null));
        shown.put("reason", letter.reason().orElse(null));
        shown.put("time", letter.time().toString());
        shown.put("redrivable", letter.event().isPresent());
        if (letter.event().isEmpty()) {
            shown.put("unreadable", letter.unreadable());
        }
        redrives.of(letter).ifPresent(done -> shown.put("redriven", Map.of("at", done.at().toString(),
                "by", done.by())));
        return shown;
    }

    private static String checkedService(String service) {
        if (!SERVICE.matcher(service).matches()) {
            throw ApiException.badRequest("'" + truncated(service) + "' is not a service name (lower-case letters, "
                    + "digits and -, as staging-service)");
        }
        return service;
    }

    private static String truncated(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
