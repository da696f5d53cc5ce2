package dev.slipway.deploy.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateValuesFileTest {

    @TempDir
    Path root;

    @Test
    void theValuesAreReadableOnlyByThisUserAndGoneWithTheirFolderOnClose() throws Exception {
        Path folder;
        try (PrivateValuesFile values = PrivateValuesFile.write(root, "{\"env\":[{\"name\":\"K\",\"value\":\"v\"}]}")) {
            folder = values.path().getParent();
            assertThat(Files.readString(values.path())).contains("\"value\":\"v\"");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(values.path())))
                    .isEqualTo("rw-------");
        }
        assertThat(folder).doesNotExist();
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void eachCallHasAFolderOfItsOwn() {
        try (PrivateValuesFile first = PrivateValuesFile.write(root, "{}");
             PrivateValuesFile second = PrivateValuesFile.write(root, "{}")) {
            assertThat(first.path().getParent()).isNotEqualTo(second.path().getParent());
        }
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void memoryIsPreferredWhenNoFolderIsConfigured() {
        assertThat(PrivateValuesFile.root("/srv/values")).isEqualTo(Path.of("/srv/values"));
        Path chosen = PrivateValuesFile.root("");
        assertThat(chosen).isIn(Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir")));
        if (Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))) {
            assertThat(chosen).isEqualTo(Path.of("/dev/shm"));
        }
    }
}
