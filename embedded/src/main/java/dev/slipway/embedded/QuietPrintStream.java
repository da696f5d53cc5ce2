package dev.slipway.embedded;

import java.io.OutputStream;
import java.io.PrintStream;

/** Swallows the progress lines Kafka's storage formatter prints for a human at a terminal. */
final class QuietPrintStream extends PrintStream {

    static final QuietPrintStream INSTANCE = new QuietPrintStream();

    private QuietPrintStream() {
        super(OutputStream.nullOutputStream());
    }
}
