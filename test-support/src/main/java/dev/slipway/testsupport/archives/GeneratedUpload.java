package dev.slipway.testsupport.archives;

import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * A large upload made up on the fly: {@code size} incompressible bytes behind a gzip magic number,
 * so the server takes it for an archive, without any of it living in memory or on disk. The same
 * seed gives the same bytes.
 */
public final class GeneratedUpload extends InputStream {

    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};

    private final long size;
    private final SplittableRandom random;
    private long position;

    public GeneratedUpload(long size, long seed) {
        this.size = size;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        for (int i = 0; i < n; i++) {
            long at = position + i;
            buffer[offset + i] = at < GZIP_MAGIC.length ? GZIP_MAGIC[(int) at] : (byte) random.nextInt(256);
        }
        position += n;
        return n;
    }
}
