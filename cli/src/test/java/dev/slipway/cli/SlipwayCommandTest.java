package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SlipwayCommandTest {

    @Test
    void helpDescribesTheCommandAndExitsZero() {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new SlipwayCommand()).setOut(new PrintWriter(out)).execute("--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Usage: slipway", "Push source or an image", "--version");
    }

    @Test
    void anUnknownOptionIsAnErrorWithUsage() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new SlipwayCommand()).setErr(new PrintWriter(err)).execute("--nope");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--nope'", "Usage: slipway");
    }
}
