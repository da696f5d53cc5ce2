package dev.slipway.upload.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lines of a stream, each read into at most {@code maxBytes} bytes: the rest of a longer line is
 * skipped unread into memory, so an app printing one endless line costs no more than a short one.
 */
final class BoundedLines {

    /** One line: its first bytes as text (malformed UTF-8 replaced), and whether more followed. */
    record Line(String text, boolean cut) {
    }

    private final InputStream in;
    private final byte[] buffer;
    private final byte[] chunk = new byte[8192];
    private int chunkStart;
    private int chunkEnd;

    BoundedLines(InputStream in, int maxBytes) {
        this.in = in;
        this.buffer = new byte[maxBytes];
    }

    /** The next line without its line break, or null at the end of the stream. */
    Line next() throws IOException {
        int length = 0;
        boolean cut = false;
        boolean any = false;
        while (true) {
            if (chunkStart == chunkEnd) {
                int read = in.read(chunk);
                if (read < 0) {
                    return any ? line(length, cut) : null;
                }
                chunkStart = 0;
                chunkEnd = read;
            }
            any = true;
            byte b = chunk[chunkStart++];
            if (b == '\n') {
                return line(length, cut);
            }
            if (length < buffer.length) {
                buffer[length++] = b;
            } else {
                cut = true;
            }
        }
    }

    private Line line(int length, boolean cut) {
        int end = length > 0 && buffer[length - 1] == '\r' ? length - 1 : length;
        return new Line(new String(buffer, 0, end, StandardCharsets.UTF_8), cut);
    }
}
