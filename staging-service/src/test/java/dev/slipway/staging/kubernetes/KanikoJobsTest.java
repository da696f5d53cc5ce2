package dev.slipway.staging.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.AppRef;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.spring.S3Settings;
import dev.slipway.staging.build.StageFailure;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kaniko Job's spec and what a failed Kaniko said, without a cluster. */
class KanikoJobsTest {

    private static final AppRef APP = new AppRef("workspace", "shop");
    private static final String STAGE = "0f6c1b2e-8d1a-4c3e-9f00-1234567890ab";
    private static final KubernetesBuildProperties PROPERTIES = new KubernetesBuildProperties("slipway-staging",
            "mc", "busybox:1.36", "lifecycle", "run", 1001, 1000, "slipway-s3", "slipway-registry",
            Duration.ofMinutes(20), Duration.ofMinutes(2), Duration.ofSeconds(1), 300,
            "gcr.io/kaniko-project/executor:v1.23.2", "crane", "", "2", "4Gi", "10Gi");

    @Test
    void aDockerfileOutsideTheSourceNeverReachesAJob() {
        for (String escaping : List.of("../Dockerfile", "docker/../../etc/passwd", "/etc/passwd", "./Dockerfile",
                "Dockerfile; rm -rf /", "$(id)")) {
            assertThatThrownBy(() -> job(escaping, List.of())).as(escaping)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relative path inside the source");
        }
    }

    @Test
    void buildEnvNamesTheBuilderReadsAreRefusedWhateverTheirCase() {
        for (String reserved : List.of("HTTPS_PROXY", "https_proxy", "Docker_Config", "KANIKO_DIR", "SSL_CERT_DIR",
                "GODEBUG", "PATH", "HOME", "AWS_ACCESS_KEY_ID", "GOOGLE_APPLICATION_CREDENTIALS", "SLIPWAY_REGISTRY")) {
            assertThatThrownBy(() -> job("Dockerfile", List.of(reserved))).as(reserved)
                    .hasMessageContaining(reserved).hasMessageContaining("reserved");
        }
        assertThat(container(job("Dockerfile", List.of("NPM_TOKEN", "GOPROXY")), "kaniko").getArgs())
                .contains("--build-arg=NPM_TOKEN", "--build-arg=GOPROXY");
    }

    @Test
    void theDockerfilePathReachesTheUnpackStepInItsEnvironmentNotItsScript() {
        Container unpack = container(job("docker/Dockerfile.web", List.of()), "unpack");

        assertThat(String.join(" ", unpack.getCommand())).doesNotContain("Dockerfile.web");
        assertThat(unpack.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("DOCKERFILE");
            assertThat(env.getValue()).isEqualTo("docker/Dockerfile.web");
        });
    }

    @Test
    void aKanikoJobNameStaysAValidName() {
        AppRef longApp = new AppRef("a-namespace-with-a-rather-long-name", "and-an-app-with-a-long-name-too");
        String name = StagingJobs.kanikoJobName(longApp, STAGE);

        assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").endsWith("-kaniko")
                .isNotEqualTo(StagingJobs.jobName(longApp, STAGE));
    }

    @Test
    void aBaseThatCannotBePulledIsNamedFromKanikosOwnWords() {
        StageFailure missing = KanikoFailures.of(List.of(
                "time=\"2026-01-01T00:00:00Z\" level=info msg=\"Retrieving image manifest golang:1.99-nope\"",
                "time=\"2026-01-01T00:00:00Z\" level=info msg=\"Retrieving image golang:1.99-nope from registry index.docker.io\"",
                "error building image: unable to complete operation after 0 attempts, last error: GET "
                        + "https://index.docker.io/v2/library/golang/manifests/1.99-nope: MANIFEST_UNKNOWN: manifest unknown"));
        assertThat(missing.reason()).isEqualTo(ReasonCodes.BASE_IMAGE_UNAVAILABLE);
        assertThat(missing.getMessage()).contains("golang:1.99-nope", "MANIFEST_UNKNOWN");

        StageFailure quoted = KanikoFailures.of(List.of("error building image: error building stage: failed to get "
                + "filesystem from image: retrieving image \"private.example.com/base:2\": GET ...: DENIED"));
        assertThat(quoted.reason()).isEqualTo(ReasonCodes.BASE_IMAGE_UNAVAILABLE);
        assertThat(quoted.getMessage()).contains("private.example.com/base:2");
    }

    @Test
    void aFailingStepIsABuildFailureWithItsLastLines() {
        StageFailure step = KanikoFailures.of(List.of("INFO[0000] Retrieving image manifest busybox:1.36",
                "INFO[0001] Unpacking rootfs as cmd RUN make requires it.", "INFO[0003] RUN make",
                "make: *** No rule to make target 'all'.  Stop.",
                "error building image: error building stage: failed to execute command: waiting for process to "
                        + "exit: exit status 2"));

        assertThat(step.reason()).isEqualTo(ReasonCodes.BUILD_FAILED);
        assertThat(step.getMessage()).contains("No rule to make target", "exit status 2");
    }

    private static Job job(String dockerfile, List<String> env) {
        return StagingJobs.kaniko(APP, STAGE, "workspace/shop/blob", "1f6c1b2e-8d1a-4c3e-9f00-1234567890ab",
                "registry.local:5000/workspace-shop:" + STAGE, new StagingJobs.DockerfileBuild(dockerfile, env,
                        Map.of()), "registry.local:5000", true, new S3Settings("http://s3:9000", "us-east-1",
                        "a", "b", "slipway-blobs"), PROPERTIES);
    }

    private static Container container(Job job, String name) {
        var pod = job.getSpec().getTemplate().getSpec();
        return java.util.stream.Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
                .filter(container -> container.getName().equals(name)).findFirst().orElseThrow();
    }
}
