package dev.slipway.events;

/**
 * One entry of {@link Topics#STAGE_ATTEMPTS}: how many times a consumer group began its work on an
 * event without finishing it. Written before the work starts and removed (a tombstone) once the work
 * ended, however it ended; an entry that stays counts attempts whose process died.
 *
 * @param group    the consumer group (the service) that took up the event
 * @param eventId  the event's id ({@code ce_id})
 * @param attempts attempts begun and not finished, the one under way included
 */
public record StageAttempt(String group, String eventId, int attempts) {

    public StageAttempt {
        Names.require("group", group);
        Names.require("eventId", eventId);
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be 1 or more, got " + attempts);
        }
    }

    /** The record key: one entry per consumer group and event. */
    public static String key(String group, String eventId) {
        return group + "/" + eventId;
    }

    public String key() {
        return key(group, eventId);
    }

    public byte[] toJson() {
        return EventJson.mapper().writeValueAsBytes(this);
    }

    public static StageAttempt fromJson(byte[] json) {
        return EventJson.mapper().readValue(json, StageAttempt.class);
    }
}
