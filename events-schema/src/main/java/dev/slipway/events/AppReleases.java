package dev.slipway.events;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * An app's current release and the revisions before it, newest first, as {@code slipway.releases}
 * keeps them (compacted, keyed {@code <namespace>/<app>}): written by deploy-service after every
 * release and rollback, a tombstone once the app is removed; read by upload-service to show them.
 *
 * @param current the release running now
 * @param earlier the releases before it, newest first, at most as many as the writer keeps
 */
public record AppReleases(AppRef app, Release current, List<Release> earlier) {

    public AppReleases {
        Names.require("app", app);
        Names.require("current", current);
        earlier = earlier == null ? List.of() : List.copyOf(earlier);
    }

    /**
     * One release of the app.
     *
     * @param revision  the release's revision (Helm's, or the local runtime's), 1 and up
     * @param image     the image it runs
     * @param stageId   the stage that built the image (the push id); null for an image push
     * @param instances how many instances it was released with
     * @param at        when it was released
     */
    public record Release(int revision, String image, String stageId, int instances, OffsetDateTime at) {

        public Release {
            Names.require("image", image);
            Names.require("at", at);
            if (revision < 1) {
                throw new IllegalArgumentException("revision must be 1 or more, was " + revision);
            }
        }
    }

    /** The first release of an app. */
    public static AppReleases first(AppRef app, Release release) {
        return new AppReleases(app, release, List.of());
    }

    /**
     * {@code release} as the current one, the current one first among the earlier, keeping the
     * {@code kept} newest of those; the same revision again (a redelivered deploy) changes nothing.
     */
    public AppReleases then(Release release, int kept) {
        if (release.revision() == current.revision()) {
            return this;
        }
        List<Release> before = new ArrayList<>();
        before.add(current);
        before.addAll(earlier);
        return new AppReleases(app, release, before.subList(0, Math.min(Math.max(kept, 0), before.size())));
    }

    public String key() {
        return app.namespace() + "/" + app.name();
    }
}
