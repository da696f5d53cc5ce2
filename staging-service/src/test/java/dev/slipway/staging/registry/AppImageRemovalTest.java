package dev.slipway.staging.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import dev.slipway.events.AppRef;
import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.registry.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A deleted app's images leave a real registry (Debian's docker-registry); nothing else does. */
class AppImageRemovalTest {

    private static final AppRef APP = new AppRef("workspace", "a-b");
    /** Shares APP's repository {@code workspace-a-b}: the label tells them apart. */
    private static final AppRef NEIGHBOUR = new AppRef("workspace-a", "b");

    @Test
    void deletesEveryImageOfTheAppAndNoImageOfAnotherAppInTheSameRepository() throws Exception {
        try (RegistryServer registry = RegistryServer.open(Files.createTempDirectory("registry"))) {
            push(registry, "workspace-a-b", "push-1", APP);
            push(registry, "workspace-a-b", "push-2", APP);
            push(registry, "workspace-a-b", "push-3", NEIGHBOUR);
            push(registry, "workspace-other", "push-4", new AppRef("workspace", "other"));
            AppImageRemoval removal = removal(registry.host());

            AppImageRemoval.Removal removed = removal.removeImagesOf(APP);

            assertThat(removed.deletedTags()).containsExactlyInAnyOrder("push-1", "push-2");
            assertThat(removed.refused()).isFalse();
            assertThat(registry.manifest("workspace-a-b", "push-1")).isEmpty();
            assertThat(registry.manifest("workspace-a-b", "push-2")).isEmpty();
            assertThat(registry.manifest("workspace-a-b", "push-3")).isPresent();
            assertThat(registry.manifest("workspace-other", "push-4")).isPresent();
            // again, as a redelivered app.deleted does it: nothing left, no error
            assertThat(removal.removeImagesOf(APP).deletedTags()).isEmpty();
        }
    }

    @Test
    void anAppThatNeverHadAnImageHasNothingToDelete() throws Exception {
        try (RegistryServer registry = RegistryServer.open(Files.createTempDirectory("registry"))) {
            AppImageRemoval.Removal removed = removal(registry.host()).removeImagesOf(new AppRef("workspace", "none"));

            assertThat(removed.deletedTags()).isEmpty();
            assertThat(removed.refused()).isFalse();
        }
    }

    @Test
    void aRegistryThatRefusesDeletesIsAWarningAndKeepsTheImages() throws Exception {
        try (RegistryServer registry = RegistryServer.refusingDeletes(Files.createTempDirectory("registry"))) {
            push(registry, "workspace-a-b", "push-1", APP);

            AppImageRemoval.Removal removed = removal(registry.host()).removeImagesOf(APP);

            assertThat(removed.refused()).isTrue();
            assertThat(removed.deletedTags()).isEmpty();
            assertThat(registry.manifest("workspace-a-b", "push-1")).isPresent();
        }
    }

    @Test
    void aRegistryThatDoesNotAnswerFailsAfterItsRetriesSoTheEventIsRetried() {
        String nobody = "127.0.0.1:" + FreePorts.next();

        assertThatThrownBy(() -> removal(nobody).removeImagesOf(APP))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the registry " + nobody + " could not delete images");
    }

    private static AppImageRemoval removal(String host) {
        return new AppImageRemoval(host, true, null, null, 2, Duration.ofMillis(20));
    }

    /** An image as a build labels it, its content unique so each tag has its own manifest. */
    static void push(RegistryServer registry, String repository, String tag, AppRef app) throws Exception {
        Path file = Files.createTempFile("image-content", ".txt");
        Files.writeString(file, repository + ":" + tag);
        Jib.fromScratch()
                .addFileEntriesLayer(FileEntriesLayer.builder().addEntry(file, AbsoluteUnixPath.get("/content.txt"))
                        .build())
                .setCreationTime(Instant.EPOCH)
                .setLabels(Map.of(AppImageRemoval.APP_LABEL, app.toString()))
                .containerize(Containerizer.to(RegistryImage.named(registry.host() + "/" + repository + ":" + tag))
                        .setAllowInsecureRegistries(true));
    }
}
