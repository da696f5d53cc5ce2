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

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
