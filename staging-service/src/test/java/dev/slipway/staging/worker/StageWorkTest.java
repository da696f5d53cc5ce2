package dev.slipway.staging.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.unpack.UnsafeArchiveException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** How a stage tells a full disk (the machine's fault) from a broken archive (the user's). */
class StageWorkTest {

    @Test
    void aWriteRefusedForLackOfSpaceIsTheMachinesFaultNotTheArchives() {
        // what the JDK throws for ENOSPC, as the unpacker wraps it
        IOException enospc = new FileSystemException("/srv/stage/app/index.html: No space left on device");
        UnsafeArchiveException asCorrupt = new UnsafeArchiveException(ReasonCodes.ARCHIVE_CORRUPT,
                "the gzip archive is truncated or corrupt", enospc);

        assertThat(StageWork.diskFull(asCorrupt)).isTrue();
        assertThat(StageWork.diskFull(new IOException("Unexpected end of ZLIB input stream"))).isFalse();
        assertThat(StageWork.diskFull(new UnsafeArchiveException(ReasonCodes.ARCHIVE_CORRUPT, "truncated")))
                .isFalse();
    }
}
