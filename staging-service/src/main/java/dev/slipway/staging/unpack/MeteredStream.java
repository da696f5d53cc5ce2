package dev.slipway.staging.unpack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes a decompressor hands out against the {@link Budget}, before anyone can hold them
 * in memory. For tar it also keeps the header budget: armed around {@code getNextEntry()}, it fails
 * the read that takes one header (GNU long name, PAX extended header, sparse map) past
 * {@code maxHeaderBytes}, because commons-compress reads those into memory whole.
 * A refusal is sticky: a caller that swallowed it gets it again on the next read.
 */
final class MeteredStream extends FilterInputStream {

    private final Budget budget;
    private long count;
    private long headerStart = -1;
    private LimitExceeded failed;

    MeteredStream(InputStream in, Budget budget) {
        super(in);
        this.budget = budget;
    }

    /** From here until {@link #headerRead()}, everything read is header. */
    void readingHeader() {
        headerStart = count;
    }

    void headerRead() {
        headerStart = -1;
    }

    @Override
    public int read() throws IOException {
        check();
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        check();
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes were decompressed all the same (tar skips what nobody reads)
        check();
        long skipped = super.skip(n);
        if (skipped > 0) {
            counted(skipped);
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int limit) {
        // not supported: a reset would count bytes twice
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void counted(long n) throws LimitExceeded {
        count += n;
        try {
            long maxHeader = budget.limits.maxHeaderBytes().toBytes();
            if (headerStart >= 0 && count - headerStart > maxHeader) {
                throw Refusals.headerTooLarge(budget.entries(), budget.limits.maxHeaderBytes());
            }
            budget.bytes(n);
        } catch (UnsafeArchiveException refusal) {
            failed = new LimitExceeded(refusal);
            throw failed;
        }
    }

    private void check() throws LimitExceeded {
        if (failed != null) {
            throw failed;
        }
    }
}
