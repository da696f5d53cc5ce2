package dev.slipway.staging.worker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.slipway.events.EventJson;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** The JSON of the worker's protocol: the events' mapping, with sizes as plain byte counts. */
final class WorkerJson {

    private static final JsonMapper MAPPER = EventJson.mapper().rebuild()
            .addMixIn(DataSize.class, DataSizeAsBytes.class)
            .build();

    private WorkerJson() {
    }

    static JsonMapper mapper() {
        return MAPPER;
    }

    abstract static class DataSizeAsBytes {

        @JsonValue
        abstract long toBytes();

        @JsonCreator
        static DataSize ofBytes(long bytes) {
            return DataSize.ofBytes(bytes);
        }
    }
}
