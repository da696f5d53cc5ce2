package dev.slipway.staging.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.podman.BuildContainerSettings;
import dev.slipway.staging.build.podman.PodmanCli;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reason codes come from what podman says after the build, not from what a step prints. */
class BuildFailuresTest {

    private static final String STEP_ERROR = "Error: building at STEP \"RUN ./build.sh\": while running runtime: "
            + "exit status 1";

    @Test
    void aStepKilledAtItsMemoryLimitIsNamedSo() {
        PodmanCli.Result result = new PodmanCli.Result(1, List.of("STEP 2/3: RUN ./build.sh",
                "container exited on killed", STEP_ERROR), false);

        assertThat(BuildFailures.of(result, BuildContainerSettings.DEFAULTS).reason())
                .isEqualTo(ReasonCodes.STAGE_MEMORY_LIMIT);
    }

    @Test
    void linesAStepPrintsDoNotChooseTheReason() {
        PodmanCli.Result spoofedMemory = new PodmanCli.Result(1, List.of("STEP 2/3: RUN ./build.sh",
                "exit status 137", "container exited on killed", "all done", STEP_ERROR), false);
        PodmanCli.Result spoofedBase = new PodmanCli.Result(1, List.of("STEP 2/3: RUN ./build.sh",
                "Error: creating build container: initializing source docker://evil.example/x:1: refused",
                "Running image docker://evil.example/x:1 is rejected by policy", STEP_ERROR), false);

        for (PodmanCli.Result spoofed : List.of(spoofedMemory, spoofedBase)) {
            assertThat(BuildFailures.of(spoofed, BuildContainerSettings.DEFAULTS).reason())
                    .isEqualTo(ReasonCodes.BUILD_FAILED);
        }
    }

    @Test
    void aBaseImageThatPodmanCouldNotPullIsNamed() {
        PodmanCli.Result result = new PodmanCli.Result(125, List.of("STEP 1/2: FROM 127.0.0.1:1/nothing:1",
                "Error: creating build container: initializing source docker://127.0.0.1:1/nothing:1: pinging "
                        + "container registry 127.0.0.1:1: connection refused"), false);

        assertThat(BuildFailures.of(result, BuildContainerSettings.DEFAULTS).getMessage())
                .contains("127.0.0.1:1/nothing:1", "cannot be pulled");
    }
}
