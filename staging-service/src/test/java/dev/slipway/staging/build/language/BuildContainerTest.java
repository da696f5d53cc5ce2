package dev.slipway.staging.build.language;

import dev.slipway.staging.build.podman.BuildContainerSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.staging.build.StageFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The build container's command line: its walls, and no secret on it. */
class BuildContainerTest {

    private static final BuildPlan GO = GoProject.plan(List.of());

    @Test
    void theCommandLineCarriesEveryWallAndNoEnvValue() {
        BuildContainer.Run run = new BuildContainer.Run("127.0.0.1:5000/slipway/base-busybox:1", true,
                "127.0.0.1:5000", "", "", Path.of("/stage/app"), Path.of("/cache/ns/app"), Path.of("/stage/scratch"),
                Map.of("NPM_TOKEN", "s3cr3t-value"));

        List<String> args = new BuildContainer(BuildContainerSettings.DEFAULTS).arguments(GO, run, "slipway-build-x",
                Path.of("/stage/scratch/build.env"), null, Path.of("/stage/scratch/empty"),
                ProcessLimits.parse("Max open files 512 512 files\nMax processes 96364 96364 processes\n"));

        assertThat(String.join(" ", args)).contains("--network slipway_build", "--read-only", "--cap-drop=all",
                "--security-opt no-new-privileges", "--memory 1024m --memory-swap 1024m", "--pids-limit 1024",
                "--ulimit nofile=512:512", "--volume /usr:/usr:ro", "--volume /stage/scratch/empty:/usr/local:ro",
                "--volume /stage/app:/workspace:rw", "--volume /cache/ns/app:/cache:rw",
                "--env-file /stage/scratch/build.env", "--tls-verify=false", "--entrypoint /bin/sh")
                .doesNotContain("s3cr3t-value").doesNotContain("--privileged");
        assertThat(args).noneMatch(arg -> arg.startsWith("--volume /:") || arg.contains("/var/run"));
        assertThat(args.get(args.size() - 1)).startsWith("set -ex\ngo build");
    }

    @Test
    void buildEnvGoesToTheEnvFileAfterTheToolchainsAndALineBreakIsRefused() throws Exception {
        assertThat(BuildContainer.envFile(Map.of("GOFLAGS", "-buildvcs=false"), Map.of("GOFLAGS", "-mod=vendor")))
                .isEqualTo("GOFLAGS=-mod=vendor\n");

        assertThatThrownBy(() -> BuildContainer.envFile(Map.of(), Map.of("EVIL", "x\nLD_PRELOAD=/tmp/x.so")))
                .isInstanceOf(StageFailure.class).hasMessageContaining("EVIL").hasMessageContaining("line break")
                .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain("LD_PRELOAD"));
    }

    @Test
    void theProcessLimitsAreReadFromTheKernelsTable() {
        ProcessLimits limits = ProcessLimits.parse("""
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             4096                 8192                 processes
                Max open files            1024                 1024                 files
                """);

        assertThat(limits.capOpenFiles(4096)).isEqualTo(1024);
        assertThat(limits.capProcesses(BuildContainer.NPROC)).isEqualTo(8192);
        assertThat(ProcessLimits.parse("Max processes unlimited unlimited processes").capProcesses(10)).isEqualTo(10);
    }
}
