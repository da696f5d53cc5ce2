package dev.slipway.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.Event;
import dev.slipway.events.ImageNames;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageSucceeded;
import dev.slipway.testsupport.archives.Archives;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * staging-service pushed an app's images and keeps its build cache, so on {@code app.deleted} it deletes
 * both.
 */
class AppDeletionTest extends StagingServiceTest {

    @Test
    void deletingAnAppDeletesTheImagesItsPushesBuiltAndItsBuildCache() throws Exception {
        Event<StageRequested> push = stage("deleted", Archives.tarGz(Map.of("index.html", "soon gone")));
        StageSucceeded staged = succeeded(push);
        String repository = ImageNames.repository(push.data().app());
        assertThat(REGISTRY.manifest(repository, staged.stageId())).isPresent();
        Event<StageRequested> kept = stage("kept", Archives.tarGz(Map.of("index.html", "stays")));
        StageSucceeded keptStaged = succeeded(kept);
        java.nio.file.Path cache = WORK.resolve("build-cache").resolve("workspace").resolve(push.data().app().name());
        java.nio.file.Path keptCache = WORK.resolve("build-cache").resolve("workspace").resolve(kept.data().app().name());
        assertThat(cache).as("made with the app's first build").isDirectory();

        log.publish(Event.start(UPLOAD, new AppDeleted(UUID.randomUUID().toString(), push.data().app(), "alice")));

        await().atMost(TIMEOUT).until(() -> REGISTRY.manifest(repository, staged.stageId()).isEmpty());
        await().atMost(TIMEOUT).until(() -> !java.nio.file.Files.exists(cache));
        assertThat(keptCache).isDirectory();
        assertThat(REGISTRY.manifest(ImageNames.repository(kept.data().app()), keptStaged.stageId())).isPresent();
    }
}
