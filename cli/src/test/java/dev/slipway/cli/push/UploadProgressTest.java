package dev.slipway.cli.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class UploadProgressTest {

    @Test
    void onATerminalTheBarIsRedrawnInPlace() {
        StringWriter err = new StringWriter();
        UploadProgress progress = new UploadProgress(new PrintWriter(err), true, 2048);

        progress.accept(1024);
        progress.done();

        assertThat(err.toString()).startsWith("\rUploading [").contains("2.0 KiB / 2.0 KiB");
    }

    @Test
    void withoutATerminalThereIsOnePlainLineAndNoCarriageReturn() {
        StringWriter err = new StringWriter();
        UploadProgress progress = new UploadProgress(new PrintWriter(err), false, 2048);

        progress.accept(1024);
        progress.accept(2048);
        progress.done();

        assertThat(err.toString()).doesNotContain("\r", "[").startsWith("Uploaded ").hasLineCount(1);
    }
}
