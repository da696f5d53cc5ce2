package dev.slipway.staging.build;

import dev.slipway.events.AppRef;
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
 */
public record BuildOrder(AppRef app, String blobUid, String stageId, String builderImage, String image,
                         Map<String, String> labels) {

    public BuildOrder {
        labels = Map.copyOf(labels);
    }
}
