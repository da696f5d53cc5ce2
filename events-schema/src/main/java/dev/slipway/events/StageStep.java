package dev.slipway.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** The three steps of staging, as in Epinio's staging job. */
public enum StageStep {
    FETCH, UNPACK, BUILD;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
