package dev.slipway.upload.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventStreamsTest {

    @Test
    void streamsRunAgainAfterTheServiceIsStoppedAndStartedAgain() throws Exception {
        EventStreams streams = new EventStreams();
        streams.start();
        streams.stop();
        assertThat(streams.open(() -> { })).as("a stopped service takes no stream").isFalse();

        streams.start();
        CountDownLatch ran = new CountDownLatch(1);
        assertThat(streams.open(ran::countDown)).isTrue();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        streams.stop();
    }
}
