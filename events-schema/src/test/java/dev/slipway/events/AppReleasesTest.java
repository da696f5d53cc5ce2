package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AppReleasesTest {

    private static final AppRef APP = new AppRef("workspace", "shop");

    @Test
    void eachReleasePushesTheCurrentOneIntoTheEarlierOnesNewestFirstKeepingOnlyTheNewest() {
        AppReleases releases = AppReleases.first(APP, release(1));
        for (int revision = 2; revision <= 6; revision++) {
            releases = releases.then(release(revision), 3);
        }

        assertThat(releases.current().revision()).isEqualTo(6);
        assertThat(releases.earlier()).extracting(AppReleases.Release::revision).containsExactly(5, 4, 3);
    }

    @Test
    void theSameRevisionAgainIsARedeliveryAndChangesNothing() {
        AppReleases releases = AppReleases.first(APP, release(1)).then(release(2), 10);

        assertThat(releases.then(release(2), 10)).isEqualTo(releases);
    }

    @Test
    void survivesItsJsonAsDeployServiceWritesItAndUploadServiceReadsIt() {
        AppReleases releases = AppReleases.first(APP, release(1)).then(new AppReleases.Release(2, "registry.test/img:2",
                null, 3, OffsetDateTime.of(2026, 12, 2, 6, 0, 0, 0, ZoneOffset.UTC)), 10);

        byte[] json = EventJson.mapper().writeValueAsBytes(releases);

        assertThat(EventJson.mapper().readValue(json, AppReleases.class)).isEqualTo(releases);
    }

    @Test
    void aReleaseWithoutImageOrRevisionIsRefused() {
        assertThatThrownBy(() -> new AppReleases.Release(0, "img", null, 1, OffsetDateTime.now()))
                .hasMessageContaining("revision");
        assertThatThrownBy(() -> new AppReleases.Release(1, null, null, 1, OffsetDateTime.now()))
                .hasMessageContaining("image");
    }

    private static AppReleases.Release release(int revision) {
        return new AppReleases.Release(revision, "registry.test/shop:" + revision, "stage-" + revision, 1,
                OffsetDateTime.of(2026, 12, 1, 10, revision, 0, 0, ZoneOffset.UTC));
    }
}
