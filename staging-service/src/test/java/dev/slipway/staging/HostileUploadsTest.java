package dev.slipway.staging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.Event;
import dev.slipway.events.ImageNames;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.archives.HostileArchives;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus through the whole service (broker, S3, stage worker, registry): each archive
 * ends its own stage with the reason that names it, pushes no image, leaves no stage folder behind,
 * and the next user's good push stages as if nothing had happened.
 */
class HostileUploadsTest extends StagingServiceTest {

    static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("a GNU long name of 64 MB", HostileArchives.gnuLongName(64L << 20),
                        ReasonCodes.ARCHIVE_HEADER_TOO_LARGE),
                Arguments.of("a PAX header of 256 MB", HostileArchives.paxHeader(256L << 20),
                        ReasonCodes.ARCHIVE_HEADER_TOO_LARGE),
                Arguments.of("a folder link to itself", HostileArchives.folderLinkToItself(),
                        ReasonCodes.ARCHIVE_UNSAFE_LINK),
                Arguments.of("a chain of links above the root", HostileArchives.linkChainAboveRoot(),
                        ReasonCodes.ARCHIVE_UNSAFE_LINK),
                Arguments.of("index.html as a chain of links to a host file",
                        HostileArchives.linkChainToHostFile("/etc/passwd", 12), ReasonCodes.ARCHIVE_UNSAFE_LINK),
                Arguments.of("index.html linked to a host file", HostileArchives.linkToHostFile("/etc/passwd"),
                        ReasonCodes.ARCHIVE_UNSAFE_LINK),
                Arguments.of("a zip declaring 300,000 entries", HostileArchives.zipDeclaringEntries(300_000),
                        ReasonCodes.ARCHIVE_TOO_LARGE),
                Arguments.of("a zip whose local header names another path",
                        HostileArchives.zipWhoseLocalNameDiffers("index.html", "../../../tmp/evil.html"),
                        ReasonCodes.ARCHIVE_UNSAFE_PATH),
                Arguments.of("a FIFO", HostileArchives.tarWith(HostileArchives.Special.FIFO),
                        ReasonCodes.ARCHIVE_SPECIAL_FILE),
                Arguments.of("a block device", HostileArchives.tarWith(HostileArchives.Special.BLOCK_DEVICE),
                        ReasonCodes.ARCHIVE_SPECIAL_FILE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void aHostileArchiveFailsItsOwnStageAndTheNextPushStages(String what, byte[] archive, String reason)
            throws Exception {
        Event<StageRequested> hostile = stage("hostile", archive);

        StageFailed failure = failed(hostile);

        assertThat(failure.failure().reason()).as(what).isEqualTo(reason);
        assertThat(failure.step()).isEqualTo(StageStep.UNPACK);
        assertThat(failure.failure().retryable()).isFalse();
        assertThat(failure.failure().message()).isNotBlank();
        assertThat(REGISTRY.manifest(ImageNames.repository(hostile.data().app()), hostile.id())).isEmpty();
        assertThat(stageFolders()).as("no stage's files outlive it").isEmpty();

        Event<StageRequested> good = stage("good", Archives.tarGz(Map.of("index.html", "<h1>still here</h1>")));
        assertThat(succeeded(good).appKind()).isEqualTo("static");
    }
}
