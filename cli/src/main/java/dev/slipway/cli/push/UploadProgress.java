package dev.slipway.cli.push;

import dev.slipway.cli.tracking.EventLines;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * An upload progress bar with bytes and rate, redrawn at most a few times a second, on a terminal;
 * a pipe or a CI log gets one plain line when the upload is done instead of a stream of carriage returns.
 */
final class UploadProgress implements LongConsumer {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private final long total;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private long sent;

    UploadProgress(PrintWriter err, boolean terminal, long total) {
        this.err = err;
        this.terminal = terminal;
        this.total = total;
    }

    @Override
    public void accept(long bytesSent) {
        sent = bytesSent;
        long now = System.nanoTime();
        if (terminal && now - lastDrawn > 200_000_000L) {
            lastDrawn = now;
            draw();
        }
    }

    void done() {
        sent = total;
        if (terminal) {
            draw();
            err.println();
        } else {
            err.println(String.format(Locale.ROOT, "Uploaded %s in %.1fs", EventLines.bytes(total), seconds()));
        }
        err.flush();
    }

    private double seconds() {
        return Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    }

    private void draw() {
        double fraction = total == 0 ? 1 : Math.min(1, (double) sent / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = seconds();
        err.print(String.format(Locale.ROOT, "\rUploading [%s%s] %s / %s  %s/s", "#".repeat(filled),
                " ".repeat(WIDTH - filled), EventLines.bytes(sent), EventLines.bytes(total),
                EventLines.bytes((long) (sent / seconds))));
        err.flush();
    }
}
