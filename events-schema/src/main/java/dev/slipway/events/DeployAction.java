package dev.slipway.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a deploy request asks for. */
public enum DeployAction {
    /** Install or upgrade the release with the given image. */
    DEPLOY,
    /** Roll the release back to an earlier revision (the previous one when none is named). */
    ROLLBACK;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
