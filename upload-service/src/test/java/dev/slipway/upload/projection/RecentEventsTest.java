package dev.slipway.upload.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.ArchiveFormat;
import dev.slipway.events.BlobUploaded;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecentEventsTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void keepsEachEventOnceHandsItToFollowersAndForgetsTheOldestBeyondItsCountOrAge() {
        RecentEvents recent = new RecentEvents(3, Duration.ofMinutes(1), clock);
        List<Event<EventData>> followed = new ArrayList<>();
        Event<EventData> first = upload();
        recent.follow(first.correlationId(), followed::add);

        recent.apply(first);
        recent.apply(first);
        assertThat(followed).containsExactly(first);
        assertThat(recent.ofPush(first.correlationId())).containsExactly(first);
        assertThat(recent.pushesOf("workspace", "app")).containsExactly(first.correlationId());

        for (int i = 0; i < 3; i++) {
            recent.apply(upload());
        }
        assertThat(recent.size()).isEqualTo(3);
        assertThat(recent.ofPush(first.correlationId())).isEmpty();

        now = now.plus(Duration.ofMinutes(2));
        assertThat(recent.pushesOf("workspace", "app")).isEmpty();
        assertThat(recent.size()).isZero();
    }

    @SuppressWarnings("unchecked")
    private static Event<EventData> upload() {
        return (Event<EventData>) (Event<?>) Event.start(URI.create("/test"), new BlobUploaded(UUID.randomUUID().toString(),
                new AppRef("workspace", "app"), "alice", 1, "ab".repeat(32), ArchiveFormat.TAR));
    }
}
