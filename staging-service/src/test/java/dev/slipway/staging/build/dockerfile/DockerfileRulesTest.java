package dev.slipway.staging.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.StageFailure;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Dockerfile check against the spellings a user may try to slip a flag, a URL or a heredoc past it. */
class DockerfileRulesTest {

    private static final String FROM = "ARG SLIPWAY_REGISTRY\nFROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1\n";

    @Test
    void anOrdinaryDockerfileIsBuilt() {
        String dockerfile = """
                # syntax=docker/dockerfile:1
                ARG SLIPWAY_REGISTRY
                FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1 AS build
                # a comment with RUN --mount=type=cache,target=/x in it
                RUN echo --mount=type=cache is only text here \\
                    && echo done
                COPY --from=build --chown=1000:1000 public/ /srv/
                ADD site.tar.gz /srv/
                ADD ["a b.txt", "/srv/"]
                ONBUILD COPY . /app
                RUN cat <<<"a here-string"
                ENV URL=http://example.com
                CMD ["busybox", "httpd", "-f", "-p", "8080", "-h", "/srv"]
                """;

        assertThat(DockerfileRules.refusal(dockerfile)).isEmpty();
    }

    @Test
    void runWithAnyFlagIsRefusedHoweverItIsSpelled() {
        for (String run : List.of(
                "RUN --mount=type=cache,id=../../../../..,target=/h ls /h",
                "run --mount=type=bind,from=img,source=link,target=/x true",
                "Run\t--mount=type=cache,target=/root/.npm npm ci",
                "RUN \\\n  --mount=type=cache,target=/x true",
                "RUN \\\n# a comment between\n\n   --mount=type=secret,id=x true",
                "   RUN    \"--mount\"=x true".replace("\"--mount\"=x", "--\"mount\"=type=cache,target=/x"),
                "RUN --network=host wget http://127.0.0.1:5000/v2/_catalog",
                "RUN --security=insecure true",
                "RUN --MOUNT=type=cache,target=/x true",
                "\uFEFFRUN --mount=type=tmpfs,target=/t true",
                "RUN --mount=type=cache,target=/x true\r")) {
            String dockerfile = run.startsWith("\uFEFF") ? run + "\n" : FROM + run + "\n";

            assertThat(DockerfileRules.refusal(dockerfile)).as(run).hasValueSatisfying(message ->
                    assertThat(message).contains("line", "RUN --", "is not allowed", "RUN the step without flags"));
        }
    }

    @Test
    void theRefusalNamesTheLineTheInstructionStartsOn() {
        assertThat(DockerfileRules.refusal(FROM + "RUN true\nRUN \\\n  --mount=type=cache,target=/x true\n"))
                .hasValueSatisfying(message -> assertThat(message).startsWith("the Dockerfile's line 4 "));
    }

    @Test
    void onbuildTriggersAreHeldToTheSameRules() {
        for (String onbuild : List.of("ONBUILD RUN --mount=type=cache,target=/x true",
                "onbuild run --network=host true",
                "ONBUILD \\\n  RUN --mount=type=cache,target=/x true",
                "ONBUILD ADD http://127.0.0.1:5000/v2/_catalog /x",
                "ONBUILD ONBUILD RUN true")) {
            assertThat(DockerfileRules.refusal(FROM + onbuild + "\n")).as(onbuild)
                    .hasValueSatisfying(message -> assertThat(message).contains("ONBUILD"));
        }
        // a RUN after an ONBUILD line is an instruction of its own, and refused as one
        assertThat(DockerfileRules.refusal(FROM + "ONBUILD COPY . /app\nRUN --mount=type=cache,target=/x true\n"))
                .hasValueSatisfying(message -> assertThat(message).contains("line 4", "RUN --mount"));
    }

    @Test
    void aBaseImagesTriggersAreHeldToTheSameRules() {
        assertThat(DockerfileRules.triggerRefusal("docker.io/someone/base:1",
                List.of("COPY . /app", "RUN --mount=type=cache,id=../../..,target=/h true")))
                .hasValueSatisfying(message -> assertThat(message).contains("docker.io/someone/base:1", "ONBUILD RUN",
                        "--mount"));
        assertThat(DockerfileRules.triggerRefusal("x", List.of("COPY . /app", "RUN npm ci"))).isEmpty();
    }

    @Test
    void theEscapeDirectiveChangesWhatJoinsAndBothReadingsAreChecked() {
        // with ` as the escape, a line ending in \ does not continue: buildah sees RUN --mount on its own
        String backtick = "# escape=`\n" + FROM + "RUN echo \\\nRUN --mount=type=cache,target=/x true\n";
        // and with \ as the escape, a line ending in ` does not continue either
        String backslash = FROM + "RUN echo `\nRUN --mount=type=cache,target=/x true\n";

        for (String dockerfile : List.of(backtick, backslash)) {
            assertThat(DockerfileRules.refusal(dockerfile)).as(dockerfile).isPresent();
        }
        assertThat(DockerfileReader.escapeOf("# escape=`\nFROM x\n")).isEqualTo('`');
        assertThat(DockerfileReader.escapeOf("# syntax=x\n# escape=`\nFROM x\n")).isEqualTo('\\');
        assertThat(DockerfileReader.escapeOf("\n# escape=`\nFROM x\n")).isEqualTo('\\');
        assertThat(DockerfileReader.read("# escape=`\nFROM x\nRUN a `\n  b\n", Optional.empty()))
                .extracting(DockerfileReader.Instruction::args).containsExactly("x", "a   b");
    }

    @Test
    void addOfAUrlAGitAddressOrAVariableIsRefused() {
        for (String add : List.of("ADD http://${SLIPWAY_REGISTRY}/v2/_catalog /x",
                "ADD http://127.0.0.1:5000/v2/_catalog /x",
                "add HTTPS://example.com/a.tar.gz /x",
                "ADD http:\\/\\/127.0.0.1/x /x",
                "ADD \"http://127.0.0.1/x\" /x",
                "ADD [\"http://127.0.0.1/x\", \"/x\"]",
                "ADD --chown=1:1 http://127.0.0.1/x /x",
                "ADD git@github.com:someone/repo.git /src",
                "ADD $SOURCE /x",
                "ADD ${SOURCE:-site.tar} /x",
                "ADD local.tar \\\n  http://127.0.0.1/x /x")) {
            assertThat(DockerfileRules.refusal(FROM + add + "\n")).as(add)
                    .hasValueSatisfying(message -> assertThat(message).contains("ADD", "is not allowed"));
        }
    }

    @Test
    void heredocsAreRefused() {
        for (String heredoc : List.of("RUN <<EOF\necho hi\nEOF", "RUN <<-\"EOT\" sh\necho\nEOT",
                "COPY <<EOF /etc/x\nhello\nEOF", "RUN cat <<EOF > /x\nhi\nEOF", "ADD <<EOF /x\nhi\nEOF")) {
            assertThat(DockerfileRules.refusal(FROM + heredoc + "\n")).as(heredoc)
                    .hasValueSatisfying(message -> assertThat(message).contains("heredoc"));
        }
    }

    @Test
    void aRefusalIsAFailedStageThatSaysWhatToDoInstead() {
        assertThatThrownBy(() -> DockerfileRules.check(FROM + "RUN --mount=type=cache,target=/x true\n"))
                .isInstanceOfSatisfying(StageFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(ReasonCodes.BUILD_FAILED);
                    assertThat(failure.retryable()).isFalse();
                    assertThat(failure.getMessage()).contains("line 3", "--mount", "COPY what the step needs");
                });
    }
}
