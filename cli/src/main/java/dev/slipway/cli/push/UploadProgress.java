package dev.slipway.cli.push;

import dev.slipway.cli.tracking.EventLines;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongConsumer;

/** An upload progress bar with bytes and rate, redrawn at most a few times a second. */
final class UploadProgress implements LongConsumer {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final long total;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private long sent;

    UploadProgress(PrintWriter err, long total) {
        this.err = err;
        this.total = total;
    }

    @Override
    public void accept(long bytesSent) {
        sent = bytesSent;
        long now = System.nanoTime();
        if (now - lastDrawn > 200_000_000L) {
            lastDrawn = now;
            draw();
        }
    }

    void done() {
        sent = total;
        draw();
        err.println();
        err.flush();
    }

    private void draw() {
        double fraction = total == 0 ? 1 : Math.min(1, (double) sent / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        err.print(String.format(Locale.ROOT, "\rUploading [%s%s] %s / %s  %s/s", "#".repeat(filled),
                " ".repeat(WIDTH - filled), EventLines.bytes(sent), EventLines.bytes(total),
                EventLines.bytes((long) (sent / seconds))));
        err.flush();
    }
}
