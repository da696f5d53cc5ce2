package dev.slipway.upload.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodmanJsonTest {

    @Test
    void theNewestRevisionsContainersAreTheAppsInstances() {
        String ps = """
                [{"Names":["slipway_x_ws_shop_r2_1"],"Labels":{"slipway.dev/revision":"2"},"State":"running"},
                 {"Names":["slipway_x_ws_shop_r1_0"],"Labels":{"slipway.dev/revision":"1"},"State":"exited"},
                 {"Names":["slipway_x_ws_shop_r2_0"],"Labels":{"slipway.dev/revision":"2"},"State":"running"},
                 {"Names":["stray"],"Labels":{"slipway.dev/revision":"not a number"}}]
                """;
        assertThat(PodmanJson.newestRevision(ps)).containsExactly("slipway_x_ws_shop_r2_0", "slipway_x_ws_shop_r2_1");
        assertThat(PodmanJson.newestRevision("")).isEmpty();
        assertThat(PodmanJson.newestRevision("null")).isEmpty();
        assertThat(PodmanJson.newestRevision("[]")).isEmpty();
    }

    @Test
    void anAppScaledToZeroHasNoInstanceThoughThePreviousRevisionsStoppedOnesRemain() {
        String ps = """
                [{"Names":["slipway_x_ws_shop_r2_0"],"Labels":{"slipway.dev/revision":"2"},"State":"exited"},
                 {"Names":["slipway_x_ws_shop_r3_none"],"Labels":{"slipway.dev/revision":"3",
                   "slipway.dev/instances":"0"},"State":"created"}]
                """;
        assertThat(PodmanJson.newestRevision(ps)).isEmpty();

        String scaledUpAgain = """
                [{"Names":["slipway_x_ws_shop_r3_none"],"Labels":{"slipway.dev/revision":"3",
                   "slipway.dev/instances":"0"},"State":"created"},
                 {"Names":["slipway_x_ws_shop_r4_0"],"Labels":{"slipway.dev/revision":"4"},"State":"running"}]
                """;
        assertThat(PodmanJson.newestRevision(scaledUpAgain)).containsExactly("slipway_x_ws_shop_r4_0");
    }

    @Test
    void inspectGivesStateReadinessRestartsAndStartTime() {
        String inspect = """
                [{"Name":"web-1","RestartCount":2,"State":{"Status":"exited","Running":false,"ExitCode":3,
                   "OOMKilled":false,"StartedAt":"2026-12-02T15:19:40.900324963Z"}},
                 {"Name":"web-0","RestartCount":0,"State":{"Status":"running","Running":true,"ExitCode":0,
                   "StartedAt":"2026-12-02T15:00:00Z"}},
                 {"Name":"web-2","RestartCount":1,"State":{"Status":"exited","Running":false,"ExitCode":137,
                   "OOMKilled":true,"StartedAt":"2026-12-02T15:00:00Z"}},
                 {"Name":"web-3","State":{"Status":"created","Running":false,"StartedAt":"0001-01-01T00:00:00Z"}}]
                """;
        assertThat(PodmanJson.instances(inspect)).containsExactly(
                new Instance("web-0", "running", true, 0, Instant.parse("2026-12-02T15:00:00Z")),
                new Instance("web-1", "exited (3)", false, 2, Instant.parse("2026-12-02T15:19:40.900324963Z")),
                new Instance("web-2", "exited (137, out of memory)", false, 1, Instant.parse("2026-12-02T15:00:00Z")),
                new Instance("web-3", "created", false, 0, null));
    }
}
