package dev.slipway.staging.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.baseimages.JavaRuntime;
import dev.slipway.baseimages.SharedLibraries;
import dev.slipway.testsupport.registry.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM base made where a service image runs it: a Java runtime without jlink, and no ldd.
 */
class BaseImagesTest {

    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final List<Path> LOADERS = SharedLibraries.LOADERS;

    @TempDir
    Path temp;

    @Test
    void aRuntimeWithoutJlinkGoesInAsItIs() throws Exception {
        Path jre = jreWithoutJlink();

        assertThat(JavaRuntime.forImage("java.base", jre)).isEqualTo(jre);
    }

    @Test
    void withoutLddTheDynamicLoaderListsTheSameLibraries() throws Exception {
        List<String> loader = SharedLibraries.lister(List.of(temp), LOADERS);
        List<String> ldd = SharedLibraries.lister(List.of(Path.of("/usr/bin"), Path.of("/bin")), LOADERS);
        assertThat(loader).endsWith("--list");
        assertThat(ldd).singleElement().asString().endsWith("/ldd");

        SortedSet<String> listedByLoader = SharedLibraries.linkedBy(JavaRuntime.serverBinaries(JAVA_HOME), JAVA_HOME, loader);

        assertThat(listedByLoader).isEqualTo(SharedLibraries.linkedBy(JavaRuntime.serverBinaries(JAVA_HOME), JAVA_HOME, ldd))
                .anyMatch(library -> library.contains("libc.so"))
                .anyMatch(library -> library.contains("ld-linux"));
    }

    @Test
    void withNeitherLddNorALoaderItSaysWhatItCannotMake() {
        assertThatThrownBy(() -> SharedLibraries.lister(List.of(temp), List.of(temp.resolve("ld.so"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither ldd nor a dynamic loader")
                .hasMessageContaining("only the busybox base");
    }

    @Test
    void theJvmBaseIsPushedFromAJreWithoutJlinkOrLdd() throws Exception {
        Path jre = jreWithoutJlink();
        try (RegistryServer registry = RegistryServer.open(temp.resolve("registry"))) {
            String digest = BaseImages.pushJvm(registry.host(), null, null, jre,
                    SharedLibraries.lister(List.of(temp), LOADERS));

            assertThat(digest).startsWith("sha256:");
            assertThat(registry.manifest("slipway/base-jvm", "1")).get()
                    .satisfies(manifest -> assertThat(manifest.path("layers").size()).isEqualTo(3));
            assertThat(StreamSupport.stream(registry.config("slipway/base-jvm", "1").path("Env").spliterator(), false)
                    .map(Object::toString)).anyMatch(env -> env.contains("JAVA_HOME=/opt/java"));
        }
    }

    /** A few files of this JDK laid out as a JRE: bin/java and the libraries it loads first, no jlink. */
    private Path jreWithoutJlink() throws Exception {
        Path jre = temp.resolve("jre");
        Files.createDirectories(jre.resolve("bin"));
        Files.createDirectories(jre.resolve("lib"));
        Files.copy(JAVA_HOME.resolve("bin/java"), jre.resolve("bin/java"));
        Files.copy(JAVA_HOME.resolve("lib/libjli.so"), jre.resolve("lib/libjli.so"));
        Files.copy(JAVA_HOME.resolve("lib/libzip.so"), jre.resolve("lib/libzip.so"));
        assertThat(jre.resolve("bin/jlink")).doesNotExist();
        return jre;
    }
}
