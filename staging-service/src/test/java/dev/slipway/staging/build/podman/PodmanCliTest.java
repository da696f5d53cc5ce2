package dev.slipway.staging.build.podman;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Lines of a build's output as the worker passes them on: bounded, whatever the build prints. */
class PodmanCliTest {

    @Test
    void aHugeLineIsCutAndTheLinesAroundItArriveWhole() throws Exception {
        String huge = "x".repeat(5_000_000);
        BufferedReader output = new BufferedReader(new StringReader("first\r\n" + huge + "\n\nlast"));

        assertThat(PodmanCli.readLine(output)).isEqualTo("first");
        String cut = PodmanCli.readLine(output);
        assertThat(cut).hasSizeLessThan(PodmanCli.MAX_LINE_CHARS + 40)
                .endsWith("... (" + (huge.length() - PodmanCli.MAX_LINE_CHARS) + " more characters)");
        assertThat(PodmanCli.readLine(output)).isEmpty();
        assertThat(PodmanCli.readLine(output)).isEqualTo("last");
        assertThat(PodmanCli.readLine(output)).isNull();
    }
}
