package dev.slipway.staging.build;

import dev.slipway.events.AppRef;
import dev.slipway.events.BuildSettings;
import java.util.Map;

/**
 * One stage as a builder sees it.
 *
 * @param app          the app being staged
 * @param blobUid      the stored source
 * @param stageId      the push id; the image's tag
 * @param builderImage the builder image the push asked for (kubernetes builder)
 * @param image        the image to push: {@code ImageNames.image(registry, app, stageId)}
 * @param labels       labels the image carries (stage id, blob uid, app)
 * @param build        what the push asked of its build (env values sealed)
 */
public record BuildOrder(AppRef app, String blobUid, String stageId, String builderImage, String image,
                         Map<String, String> labels, BuildSettings build) {

    public BuildOrder {
        labels = Map.copyOf(labels);
        build = BuildSettings.orNone(build);
    }
}
