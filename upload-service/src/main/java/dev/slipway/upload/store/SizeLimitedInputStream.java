package dev.slipway.upload.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts what passes through and fails the read that goes past the limit, mid-stream. */
final class SizeLimitedInputStream extends FilterInputStream {

    private final long limit;
    private long count;

    SizeLimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    private void add(long n) throws UploadTooLargeException {
        count += n;
        if (count > limit) {
            throw new UploadTooLargeException(limit);
        }
    }

    /** An IOException so that it travels through the S3 client's read loop unchanged. */
    static final class UploadTooLargeException extends IOException {
        private final long limit;

        UploadTooLargeException(long limit) {
            super("upload exceeds the limit of " + limit + " bytes");
            this.limit = limit;
        }

        long limit() {
            return limit;
        }
    }
}
