package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** W3C Trace Context as the API and the event log read it: strict about what it takes, never throwing. */
class TraceContextTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";
    private static final String VALID = "00-" + TRACE + "-" + SPAN + "-01";

    @Test
    void readsAValidTraceparentAsTheCallersSpan() {
        TraceContext caller = TraceContext.parse(VALID, null).orElseThrow();

        assertThat(caller.traceId()).isEqualTo(TRACE);
        assertThat(caller.spanId()).isEqualTo(SPAN);
        assertThat(caller.parentId()).isNull();
        assertThat(caller.sampled()).isTrue();
        assertThat(caller.traceparent()).isEqualTo(VALID);
    }

    @Test
    void readsTheSampledFlagAndDropsUnknownFlags() {
        assertThat(TraceContext.parse("00-" + TRACE + "-" + SPAN + "-00", null).orElseThrow().sampled()).isFalse();
        TraceContext other = TraceContext.parse("00-" + TRACE + "-" + SPAN + "-fe", null).orElseThrow();
        assertThat(other.sampled()).isFalse();
        assertThat(other.traceparent()).endsWith("-00");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",          // short
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",        // version 00 is exactly 55
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 ",
            " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",         // upper case
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
            "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",         // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",         // all-zero span id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",         // version ff is invalid
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-701",
            "00-+bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",        // a later version adds after a dash
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\u0000",
            "００-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    })
    void takesNothingFromAMalformedTraceparent(String hostile) {
        assertThat(TraceContext.parse(hostile, "vendor=value")).isEmpty();
    }

    @Test
    void takesNothingFromAnAbsentOrOversizedTraceparent() {
        assertThat(TraceContext.parse(null, null)).isEmpty();
        assertThat(TraceContext.parse("01-" + TRACE + "-" + SPAN + "-01-" + "a".repeat(100_000), null)).isEmpty();
    }

    @Test
    void readsALaterVersionAsVersion00() {
        TraceContext later = TraceContext.parse("cc-" + TRACE + "-" + SPAN + "-01-what-the-future-holds", null)
                .orElseThrow();

        assertThat(later.traceparent()).isEqualTo(VALID);
    }

    @Test
    void keepsAValidTracestateNormalised() {
        TraceContext caller = TraceContext.parse(VALID, " rojo=00f067aa0ba902b7 ,, congo=t61rcWkgMzE,tenant@vendor=x ")
                .orElseThrow();

        assertThat(caller.traceState()).isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,tenant@vendor=x");
        assertThat(caller.child().traceState()).isEqualTo(caller.traceState());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "no-equals", "Upper=1", "key=", "key=a,key=b", "=value",
            "key=comma\u0000", "k\u00e9y=v", "key=v\u00e9", "key=va=lue", "\u2003key=value"})
    void dropsABrokenTracestateButKeepsTheTrace(String hostile) {
        TraceContext caller = TraceContext.parse(VALID, hostile).orElseThrow();

        assertThat(caller.traceId()).isEqualTo(TRACE);
        assertThat(caller.traceState()).isNull();
    }

    @Test
    void dropsAnOversizedTracestate() {
        String tooLong = "key=" + "v".repeat(TraceContext.MAX_TRACESTATE_CHARS);
        String tooMany = String.join(",", IntStream.range(0, 33).mapToObj(i -> "k" + i + "=v").toList());
        String tooLongValue = "key=" + "v".repeat(257);

        assertThat(TraceContext.parse(VALID, tooLong).orElseThrow().traceState()).isNull();
        assertThat(TraceContext.parse(VALID, tooMany).orElseThrow().traceState()).isNull();
        assertThat(TraceContext.parse(VALID, tooLongValue).orElseThrow().traceState()).isNull();
        assertThat(TraceContext.parse(VALID, "key=" + "v".repeat(256)).orElseThrow().traceState()).isNotNull();
    }

    @Test
    void aChildKeepsTheTraceWithANewSpanWhoseParentIsThisOne() {
        TraceContext caller = TraceContext.parse(VALID, null).orElseThrow();
        TraceContext child = caller.child();
        TraceContext grandchild = child.childFor(UUID.randomUUID().toString());

        assertThat(child.traceId()).isEqualTo(TRACE);
        assertThat(child.spanId()).isNotEqualTo(SPAN).matches("[0-9a-f]{16}");
        assertThat(child.parentId()).isEqualTo(SPAN);
        assertThat(grandchild.traceId()).isEqualTo(TRACE);
        assertThat(grandchild.parentId()).isEqualTo(child.spanId());
    }

    @Test
    void anEventsSpanFollowsFromItsIdSoAnEventIssuedAgainIsTheSameSpan() {
        TraceContext push = TraceContext.start(UUID.randomUUID().toString());
        String eventId = UUID.randomUUID().toString();

        assertThat(push.childFor(eventId)).isEqualTo(push.childFor(eventId));
        assertThat(push.childFor(UUID.randomUUID().toString()).spanId()).isNotEqualTo(push.childFor(eventId).spanId());
    }

    @Test
    void newTracesAreDistinct() {
        Set<String> traces = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            TraceContext trace = TraceContext.start(UUID.randomUUID().toString());
            assertThat(trace.parentId()).isNull();
            assertThat(TraceContext.parse(trace.traceparent(), null)).contains(
                    new TraceContext(trace.traceId(), trace.spanId(), null, true, null));
            traces.add(trace.traceId());
        }
        assertThat(traces).hasSize(1000);
    }

    @Test
    void aTraceDerivedFromIdsIsTheSameForEveryEventOfThePushAndLinksCauses() {
        String push = UUID.randomUUID().toString();
        String next = UUID.randomUUID().toString();
        TraceContext first = TraceContext.derived(push, push, push);
        TraceContext second = TraceContext.derived(push, next, push);

        assertThat(first.traceId()).isEqualTo(push.replace("-", "")).isEqualTo(second.traceId());
        assertThat(first.parentId()).isNull();
        assertThat(second.parentId()).isEqualTo(first.spanId());
        assertThat(TraceContext.derived(push, next, push)).isEqualTo(second);
    }

    @Test
    void refusesToBuildAnInvalidContextInCode() {
        assertThatThrownBy(() -> new TraceContext("0".repeat(32), SPAN, null, true, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trace id");
        assertThatThrownBy(() -> new TraceContext(TRACE, SPAN.toUpperCase(), null, true, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("span id");
        assertThatThrownBy(() -> new TraceContext(TRACE, SPAN, "x", true, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parent");
        assertThatThrownBy(() -> new TraceContext(TRACE, SPAN, null, true, "bad state"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tracestate");
    }
}
