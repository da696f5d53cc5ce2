package dev.slipway.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** Source archive formats, as told apart by their magic bytes. */
public enum ArchiveFormat {
    ZIP, TAR, GZIP, BZIP2, XZ;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
