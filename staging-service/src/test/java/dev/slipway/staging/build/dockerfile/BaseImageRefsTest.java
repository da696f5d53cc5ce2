package dev.slipway.staging.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.staging.build.StageFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The base images a build will start from, named as the builder will name them, before it runs. */
class BaseImageRefsTest {

    @Test
    void globalArgsAndBuildArgsNameTheImagesAndStagesAreNoImages() throws StageFailure {
        String dockerfile = """
                ARG SLIPWAY_REGISTRY
                ARG VERSION=1
                ARG FLAVOUR="slim"
                FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:$VERSION AS build
                ARG VERSION=2
                FROM build AS test
                from docker.io/library/node:${NODE:-20}-${FLAVOUR}
                FROM scratch
                COPY --from=build /x /x
                FROM Build
                """;

        assertThat(BaseImageRefs.of(dockerfile, Map.of("SLIPWAY_REGISTRY", "127.0.0.1:5000", "NODE", "22")))
                .containsExactly("127.0.0.1:5000/slipway/base-busybox:1", "docker.io/library/node:20-slim");
    }

    @Test
    void aBuildArgOverridesAGlobalArgsDefault() throws StageFailure {
        assertThat(BaseImageRefs.of("ARG BASE=busybox:1\nFROM $BASE\n", Map.of("BASE", "evil.example/x:1")))
                .containsExactly("evil.example/x:1");
    }

    @Test
    void anImageNameThatCannotBeWorkedOutBeforehandIsRefused() {
        for (String from : List.of("FROM ${BASE:?x}", "FROM ${BASE/a/b}", "FROM \"busybox\"",
                "FROM --platform=linux/arm64 busybox")) {
            assertThatThrownBy(() -> BaseImageRefs.of(from + "\n", Map.of())).as(from)
                    .isInstanceOf(StageFailure.class).hasMessageContaining("FROM");
        }
    }

    @Test
    void goQuotedTriggersAreReadBackWhole() throws Exception {
        assertThat(BaseImageTriggers.unquote("\"RUN --mount=type=cache,target=/x true\""))
                .isEqualTo("RUN --mount=type=cache,target=/x true");
        assertThat(BaseImageTriggers.unquote("\"COPY . /app\\nRUN \\\"a\\\\b\\\" \\u00e9\\xc3\\xa9\\t\\x00\""))
                .isEqualTo("COPY . /app\nRUN \"a\\b\" \u00e9\u00e9\t\u0000");
        // a trigger holding a newline is two instructions to the builder: the second is checked too
        assertThat(DockerfileRules.triggerRefusal("base", List.of("COPY . /app\nRUN --mount=type=cache,target=/x true")))
                .isPresent();
    }
}
