package dev.slipway.events.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.TraceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A push known only by what an event left of it (a queue's signal) in the MDC, and what was there before put back. */
class EventMdcTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void aPushWithItsTraceIsNamedAndTheOuterEventPutBack() {
        TraceContext trace = TraceContext.start("e2");
        MDC.put(EventMdc.PUSH_ID, "outer");
        MDC.put(EventMdc.EVENT_TYPE, "dev.slipway.outer.v1");
        try (EventMdc.Scope inner = EventMdc.open("p2", trace, "dev.slipway.routes.ready.v1")) {
            assertThat(MDC.get(EventMdc.PUSH_ID)).isEqualTo("p2");
            assertThat(MDC.get(EventMdc.TRACE_ID)).isEqualTo(trace.traceId());
            assertThat(MDC.get(EventMdc.SPAN_ID)).isEqualTo(trace.spanId());
            assertThat(MDC.get(EventMdc.EVENT_TYPE)).isEqualTo("dev.slipway.routes.ready.v1");
        }
        assertThat(MDC.get(EventMdc.PUSH_ID)).isEqualTo("outer");
        assertThat(MDC.get(EventMdc.EVENT_TYPE)).isEqualTo("dev.slipway.outer.v1");
        assertThat(MDC.get(EventMdc.TRACE_ID)).isNull();
    }

    @Test
    void whatIsUnknownIsLeftOutNotCarriedOverFromTheOuterEvent() {
        try (EventMdc.Scope outer = EventMdc.open("p1", TraceContext.start("e1"), "dev.slipway.stage.failed.v1");
             EventMdc.Scope inner = EventMdc.open("p2", null, null)) {
            assertThat(MDC.get(EventMdc.PUSH_ID)).isEqualTo("p2");
            assertThat(MDC.get(EventMdc.TRACE_ID)).isNull();
            assertThat(MDC.get(EventMdc.SPAN_ID)).isNull();
            assertThat(MDC.get(EventMdc.EVENT_TYPE)).isNull();
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }
}
