package dev.slipway.staging.fetch;

import dev.slipway.staging.build.StageFailure;
import java.nio.file.Path;

/** Where pushed source is stored. */
public interface BlobStore {

    /** Streams the blob {@code key} to {@code file}; answers its size. */
    long fetch(String key, Path file) throws StageFailure;
}
