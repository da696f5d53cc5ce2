package dev.slipway.staging.unpack;

import java.io.IOException;

/**
 * A refusal raised inside an {@link java.io.InputStream} that a library reads from: streams may only
 * throw {@link IOException}, so the refusal travels inside one and is taken out again by the unpacker.
 */
final class LimitExceeded extends IOException {

    private final transient UnsafeArchiveException refusal;

    LimitExceeded(UnsafeArchiveException refusal) {
        super(refusal.getMessage(), refusal);
        this.refusal = refusal;
    }

    UnsafeArchiveException refusal() {
        return refusal;
    }

    /** The refusal somewhere in {@code error}'s causes, if a library wrapped ours in its own exception. */
    static UnsafeArchiveException findIn(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof LimitExceeded exceeded) {
                return exceeded.refusal;
            }
        }
        return null;
    }
}
