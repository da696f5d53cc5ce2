package dev.slipway.staging.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.AppRef;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCachesTest {

    @TempDir
    Path work;

    @Test
    void eachAppHasItsOwnFolderUnderTheWorkFolder() throws Exception {
        BuildCaches caches = new BuildCaches(work, 1 << 20);

        Path shop = caches.prepare(new AppRef("team-a", "shop"), false);
        Path other = caches.prepare(new AppRef("team-b", "shop"), false);

        assertThat(shop).isEqualTo(work.resolve("build-cache/team-a/shop").toAbsolutePath()).isDirectory();
        assertThat(other).isNotEqualTo(shop).isDirectory();
    }

    @Test
    void namesThatAreNotDnsLabelsNeverBecomeAPath() {
        // the names reach staging as an AppRef, which holds DNS labels only: "..", "/" and upper case cannot pass
        for (String[] hostile : new String[][] {{"..", "x"}, {"team-a", ".."}, {"a/b", "c"}, {"team-a", "../../etc"},
                {"Team", "x"}, {"team-a", "-"}}) {
            assertThatThrownBy(() -> new BuildCaches(work, 1).folderOf(new AppRef(hostile[0], hostile[1])))
                    .as(String.join("/", hostile)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void removingAnAppsCacheLeavesOthersAndDoesNotFollowLinksOut() throws Exception {
        BuildCaches caches = new BuildCaches(work, 1 << 20);
        Path outside = Files.createDirectories(work.resolve("outside"));
        Files.writeString(outside.resolve("precious"), "keep");
        Path shop = caches.prepare(new AppRef("team-a", "shop"), false);
        Files.createSymbolicLink(shop.resolve("link"), outside);
        Path kept = caches.prepare(new AppRef("team-a", "blog"), false);

        caches.remove(new AppRef("team-a", "shop"));

        assertThat(shop).doesNotExist();
        assertThat(kept).isDirectory();
        assertThat(outside.resolve("precious")).hasContent("keep");
    }

    @Test
    void theSizeCountsFilesNotWhatLinksPointAt() throws Exception {
        Path big = Files.write(work.resolve("big"), new byte[100_000]);
        BuildCaches caches = new BuildCaches(work, 1000);
        Path shop = caches.prepare(new AppRef("team-a", "shop"), false);
        Files.createSymbolicLink(shop.resolve("link"), big);
        Files.write(shop.resolve("small"), new byte[10]);

        caches.trim(new AppRef("team-a", "shop"));

        assertThat(shop.resolve("small")).exists();
        assertThat(BuildCaches.sizeOf(shop)).isEqualTo(10);
    }
}
