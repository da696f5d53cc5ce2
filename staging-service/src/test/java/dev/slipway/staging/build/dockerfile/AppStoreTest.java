package dev.slipway.staging.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app's store and the stage's run folder: private, unpredictable, one per stage, never through a link. */
class AppStoreTest {

    @TempDir
    Path temp;

    @Test
    void eachStageHasARunFolderOfItsOwnThatOnlyItsUserMayEnter() throws Exception {
        Path worker = Files.createDirectories(temp.resolve("w"));
        try (AppStore first = AppStore.open(temp.resolve("cache-a/podman"), worker, Instant.now().plusSeconds(5))) {
            Path other;
            try (AppStore second = AppStore.open(temp.resolve("cache-b/podman"), worker,
                    Instant.now().plusSeconds(5))) {
                other = second.runRoot();
                assertThat(other).isNotEqualTo(first.runRoot());
            }
            // the other stage's end removed its own run folder only
            assertThat(other).doesNotExist();
            assertThat(first.runRoot()).isDirectory();
            assertThat(first.runRoot().toString().length()).isLessThanOrEqualTo(AppStore.RUN_ROOT_MAX);
            assertThat(Files.getPosixFilePermissions(first.runRoot(), LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getPosixFilePermissions(temp.resolve("cache-a/podman")))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(first.runRoot().getFileName().toString()).matches("slipway-r-[0-9a-f]{16}");
        }
    }

    @Test
    void aShortWorkerFolderHoldsTheRunFolder() throws Exception {
        Path worker = Files.createDirectories(Path.of("/tmp", "sw" + ProcessHandle.current().pid()));
        try {
            Path runRoot = AppStore.runRoot(worker);
            assertThat(runRoot.getParent()).isEqualTo(worker.resolve("run"));
            assertThat(Files.getPosixFilePermissions(worker.resolve("run")))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            Files.delete(runRoot);
        } finally {
            Files.deleteIfExists(worker.resolve("run"));
            Files.deleteIfExists(worker);
        }
    }

    @Test
    void aStoreThatIsALinkIsRefused() throws IOException {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        Path cache = Files.createDirectories(temp.resolve("cache"));
        Files.createSymbolicLink(cache.resolve("podman"), elsewhere);

        assertThatThrownBy(() -> AppStore.open(cache.resolve("podman"), temp, Instant.now().plusSeconds(5)))
                .isInstanceOf(IOException.class).hasMessageContaining("link");
    }
}
