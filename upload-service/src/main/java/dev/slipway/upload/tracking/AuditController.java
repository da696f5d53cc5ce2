package dev.slipway.upload.tracking;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.api.LogSafe;
import dev.slipway.upload.api.TypeGlobs;
import dev.slipway.upload.apps.AppAccess;
import dev.slipway.upload.auth.Caller;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/** The audit trail: every event the log still keeps, in time order, filtered, within the caller's namespaces. */
@RestController
class AuditController {

    private static final int MAX_LIMIT = 10_000;
    private static final int DEFAULT_LIMIT = 1000;

    private final EventHistory history;
    private final AppAccess access;
    private final TypeGlobs globs;

    AuditController(EventHistory history, AppAccess access, TypeGlobs globs) {
        this.history = history;
        this.access = access;
        this.globs = globs;
    }

    /**
     * A page of matching events, oldest first; {@code Link: <...>; rel="next"} names the next page
     * when more match (its {@code after} is an opaque cursor).
     */
    @GetMapping("/api/v1/events")
    ResponseEntity<List<JsonNode>> events(@RequestParam(required = false) String namespace,
                                          @RequestParam(required = false) String app,
                                          @RequestParam(required = false) String type,
                                          @RequestParam(required = false) String since,
                                          @RequestParam(required = false) String limit,
                                          @RequestParam(required = false) String after, Caller caller) {
        if (namespace != null) {
            access.requireNamespace(caller, namespace);
        }
        int pageSize = pageSize(limit);
        AuditCursor from;
        try {
            from = after == null ? null : AuditCursor.parse(after);
        } catch (IllegalArgumentException invalid) {
            throw ApiException.badRequest(invalid.getMessage());
        }
        Set<EventType> types;
        try {
            types = type == null ? Set.of(EventType.values()) : globs.matching(type);
        } catch (IllegalArgumentException unknown) {
            throw ApiException.badRequest(unknown.getMessage());
        }
        OffsetDateTime sinceTime;
        try {
            sinceTime = since == null ? null : OffsetDateTime.parse(since);
        } catch (DateTimeParseException invalid) {
            throw ApiException.badRequest("since must be a time such as 2026-01-31T12:00:00Z, was '" + since + "'");
        }
        BiPredicate<String, String> subject = (eventNamespace, eventApp) -> caller.canAccess(eventNamespace)
                && (namespace == null || namespace.equals(eventNamespace))
                && (app == null || app.equals(eventApp));
        Predicate<Event<EventData>> match = event -> subject.test(event.namespace(), event.app())
                && types.contains(event.type());
        AuditPage page = history.audit(new AuditQuery(match, subject, sinceTime, from, pageSize));
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (page.next() != null) {
            String next = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("after",
                    page.next().token()).build().toUriString();
            answer.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return answer.body(page.events());
    }

    private static int pageSize(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int size = Integer.parseInt(limit);
            if (size >= 1 && size <= MAX_LIMIT) {
                return size;
            }
        } catch (NumberFormatException notANumber) {
            // the same answer as a number out of range
        }
        throw ApiException.badRequest("limit must be a number 1.." + MAX_LIMIT + ", was '" + LogSafe.text(limit) + "'");
    }
}
