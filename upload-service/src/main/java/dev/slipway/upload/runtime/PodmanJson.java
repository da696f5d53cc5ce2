package dev.slipway.upload.runtime;

import dev.slipway.events.EventJson;
import dev.slipway.events.RuntimeLabels;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** What podman's JSON says about an app's containers ({@code ps --format json}, {@code inspect}). */
final class PodmanJson {

    private PodmanJson() {
    }

    /**
     * The names of the containers of the newest revision in {@code podman ps -a --format json}: a
     * rollout starts the new revision beside the old, and the one before stays (stopped) for a rollback.
     * A revision of no instances (scaled to zero) has only a marker, which is no instance: none then.
     */
    static List<String> newestRevision(String psJson) {
        record Listed(String name, int revision, boolean marker) {
        }
        List<Listed> listed = new ArrayList<>();
        for (JsonNode container : array(psJson)) {
            JsonNode labels = container.path("Labels");
            String revision = labels.path(RuntimeLabels.REVISION).asString("");
            String name = container.path("Names").path(0).asString("");
            if (revision.matches("\\d{1,9}") && !name.isEmpty()) {
                listed.add(new Listed(name, Integer.parseInt(revision),
                        RuntimeLabels.marksRevisionOnly(labels.path(RuntimeLabels.INSTANCES).asString(""))));
            }
        }
        int newest = listed.stream().mapToInt(Listed::revision).max().orElse(0);
        return listed.stream().filter(container -> container.revision() == newest && !container.marker())
                .map(Listed::name).sorted().toList();
    }

    /** The instances in {@code podman inspect}'s JSON, by name. */
    static List<Instance> instances(String inspectJson) {
        List<Instance> instances = new ArrayList<>();
        for (JsonNode container : array(inspectJson)) {
            JsonNode state = container.path("State");
            String status = state.path("Status").asString("unknown");
            boolean running = state.path("Running").asBoolean(false) && "running".equals(status);
            String name = container.path("Name").asString("").replaceFirst("^/", "");
            instances.add(new Instance(name, describe(status, state), running,
                    container.path("RestartCount").asInt(0), startedAt(state.path("StartedAt").asString(""))));
        }
        instances.sort(Comparator.comparing(Instance::name));
        return List.copyOf(instances);
    }

    /** An exited container says with what, so a crash reads as one. */
    private static String describe(String status, JsonNode state) {
        if ("exited".equals(status) || "stopped".equals(status)) {
            String why = state.path("OOMKilled").asBoolean(false) ? ", out of memory" : "";
            return status + " (" + state.path("ExitCode").asInt() + why + ")";
        }
        return status;
    }

    /** Podman's zero time ({@code 0001-01-01...}) is never started. */
    private static Instant startedAt(String value) {
        try {
            Instant started = OffsetDateTime.parse(value).toInstant();
            return started.isBefore(Instant.EPOCH) ? null : started;
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static List<JsonNode> array(String json) {
        String text = json == null ? "" : json.strip();
        if (text.isEmpty() || "null".equals(text)) {
            return List.of();
        }
        JsonNode root = EventJson.mapper().readTree(text);
        return root.isArray() ? root.values().stream().toList() : List.of();
    }
}
