package dev.slipway.upload.tracking;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.api.TypeGlobs;
import dev.slipway.upload.apps.AppAccess;
import dev.slipway.upload.auth.Caller;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The audit trail: every event, in log order, filtered, within the caller's namespaces. */
@RestController
class AuditController {

    private static final int MAX_LIMIT = 10_000;

    private final EventHistory history;
    private final AppAccess access;
    private final TypeGlobs globs;

    AuditController(EventHistory history, AppAccess access, TypeGlobs globs) {
        this.history = history;
        this.access = access;
        this.globs = globs;
    }

    @GetMapping("/api/v1/events")
    List<JsonNode> events(@RequestParam(required = false) String namespace, @RequestParam(required = false) String app,
                          @RequestParam(required = false) String type, @RequestParam(required = false) String since,
                          @RequestParam(defaultValue = "1000") int limit, Caller caller) {
        if (namespace != null) {
            access.requireNamespace(caller, namespace);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        Set<EventType> types;
        try {
            types = type == null ? Set.of(EventType.values()) : globs.matching(type);
        } catch (IllegalArgumentException unknown) {
            throw ApiException.badRequest(unknown.getMessage());
        }
        OffsetDateTime from;
        try {
            from = since == null ? null : OffsetDateTime.parse(since);
        } catch (DateTimeParseException invalid) {
            throw ApiException.badRequest("since must be a time such as 2026-01-31T12:00:00Z, was '" + since + "'");
        }
        Predicate<Event<EventData>> match = event -> caller.canAccess(event.namespace())
                && (namespace == null || namespace.equals(event.namespace()))
                && (app == null || app.equals(event.app()))
                && types.contains(event.type());
        return EventViews.of(history.find(match, from, limit));
    }
}
