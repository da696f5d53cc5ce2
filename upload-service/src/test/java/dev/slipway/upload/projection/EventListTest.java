package dev.slipway.upload.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventListTest {

    @Test
    void appendedEventsAreFoundByIdAndReadBackInOrderWithTheNewestTime() {
        byte[] list = EventList.append(null, "first", 2_000, json("{\"a\":1}"));
        list = EventList.append(list, "second-id", 1_000, json("{\"b\":22}"));
        list = EventList.append(list, "third", 3_000, json("{}"));

        assertThat(EventList.contains(list, "first")).isTrue();
        assertThat(EventList.contains(list, "second-id")).isTrue();
        assertThat(EventList.contains(list, "third")).isTrue();
        assertThat(EventList.contains(list, "second")).isFalse();
        assertThat(EventList.contains(null, "first")).isFalse();
        assertThat(EventList.jsons(list)).extracting(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .containsExactly("{\"a\":1}", "{\"b\":22}", "{}");
        assertThat(EventList.newestMillis(list)).isEqualTo(3_000);
    }

    @Test
    void aVerboseBuildCannotGrowAPushsListPastWhatTheChangelogTakes() {
        byte[] line = new byte[40 * 1024];
        byte[] list = null;
        int logs = 0;
        while (EventList.hasRoom(list, line.length, true)) {
            list = EventList.append(list, "log-" + logs++, 1_000, line);
        }
        assertThat(logs).isBetween(4, 7);
        assertThat(list.length).isLessThanOrEqualTo(EventList.LOG_BYTES);
        // the push's own progress still fits after its build output was cut
        assertThat(EventList.hasRoom(list, 4 * 1024, false)).isTrue();
        int others = 0;
        while (EventList.hasRoom(list, line.length, false)) {
            list = EventList.append(list, "other-" + others++, 1_000, line);
        }
        assertThat(list.length).isLessThanOrEqualTo(EventList.MAX_BYTES).isLessThan(1024 * 1024);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
