package dev.slipway.baseimages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtimes that go into every image are kept where only their maker can change them. */
class JavaRuntimeTest {

    private final String home = System.getProperty("user.home");

    @TempDir
    Path temp;

    @AfterEach
    void restoreHome() {
        System.setProperty("user.home", home);
    }

    @Test
    void theCacheIsMadeForThisUserAlone() throws Exception {
        System.setProperty("user.home", temp.toString());

        Path cache = JavaRuntime.cache();

        assertThat(cache).isEqualTo(temp.resolve(".cache/slipway"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
    }

    @Test
    void aCacheOthersCanWriteIsRefusedNotUsed() throws Exception {
        System.setProperty("user.home", temp.toString());
        Path planted = Files.createDirectories(temp.resolve(".cache/slipway"));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(JavaRuntime::cache).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be this user's alone").hasMessageContaining("rwxrwxrwx");
    }
}
