package dev.slipway.upload.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstancesDetailTest {

    private static final AppRef APP = new AppRef("workspace", "shop");

    @Test
    void anAppWhoseEveryInstanceStoppedOnItsOwnIsShownCrashedWithTheNextStep() {
        List<Instance> instances = List.of(new Instance("shop-2-0", "exited (3)", false, 3, Instant.EPOCH),
                new Instance("shop-2-1", "waiting: CrashLoopBackOff", false, 5, Instant.EPOCH));

        Map<String, Object> shown = new InstancesDetail(runtime(instances)).describe(APP);

        assertThat(shown).containsEntry("status", "crashed");
        assertThat(shown.get("statusmessage").toString()).contains("exited (3)", "slipway logs shop",
                "slipway apps restart shop");
    }

    @Test
    void startingInstancesOrOneThatStillServesAreNoCrash() {
        Instance starting = new Instance("shop-3-0", "running", false, 0, Instant.EPOCH);
        Instance serving = new Instance("shop-3-1", "running", true, 2, Instant.EPOCH);
        Instance crashed = new Instance("shop-3-2", "exited (1)", false, 3, Instant.EPOCH);

        assertThat(InstancesDetail.crashed(List.of(starting))).isFalse();
        assertThat(InstancesDetail.crashed(List.of(serving, crashed))).isFalse();
        assertThat(InstancesDetail.crashed(List.of())).isFalse();
        assertThat(new InstancesDetail(runtime(List.of(serving, crashed))).describe(APP)).doesNotContainKey("status");
    }

    private static AppRuntime runtime(List<Instance> instances) {
        return new AppRuntime() {
            @Override
            public List<Instance> instances(AppRef app) {
                return instances;
            }

            @Override
            public LogReading logs(AppRef app, LogRequest request, LogSink sink) {
                throw new UnsupportedOperationException("not asked");
            }
        };
    }
}
