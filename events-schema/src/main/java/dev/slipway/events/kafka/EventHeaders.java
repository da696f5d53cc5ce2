package dev.slipway.events.kafka;

import java.util.List;

/**
 * Kafka header names of the CloudEvents Kafka protocol binding, binary mode. The Kafka binding uses
 * {@code ce_} (underscore); the HTTP binding and some Spring messaging code use {@code ce-}: these
 * names are asserted by tests so the two never get mixed up.
 */
public final class EventHeaders {

    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    public static final String PARTITION_KEY = "ce_partitionkey";
    public static final String CORRELATION_ID = "ce_correlationid";
    public static final String CAUSATION_ID = "ce_causationid";
    public static final String NAMESPACE = "ce_namespace";
    public static final String APP = "ce_app";
    public static final String REPLAY_OF = "ce_replayof";
    /** The distributed-tracing extension; optional: events written before it are read with a derived trace. */
    public static final String TRACEPARENT = "ce_traceparent";
    public static final String TRACESTATE = "ce_tracestate";
    public static final String PARENT_SPAN = "ce_parentspanid";

    /** Headers every Slipway event carries; a record without one of them is rejected. */
    public static final List<String> REQUIRED = List.of(ID, SOURCE, TYPE, SPEC_VERSION, TIME, SUBJECT, CONTENT_TYPE,
            PARTITION_KEY, CORRELATION_ID, CAUSATION_ID, NAMESPACE, APP);

    private EventHeaders() {
    }
}
