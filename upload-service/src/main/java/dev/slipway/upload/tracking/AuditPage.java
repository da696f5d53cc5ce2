package dev.slipway.upload.tracking;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Events as clients see them, oldest first, and where the next page starts when more match.
 *
 * @param next null when nothing more matched
 */
public record AuditPage(List<JsonNode> events, AuditCursor next) {
}
