package dev.slipway.upload.apps;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.BuilderImages;
import dev.slipway.events.ReservedNamespaces;
import dev.slipway.events.spring.WallSettings;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.auth.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The checks every app endpoint makes, in order: valid names and no reserved namespace (422), namespace
 * access (403), app exists (404).
 */
@Component
public class AppAccess {

    private final AppStore apps;
    private final ReservedNamespaces reserved;
    private final BuilderImages builders;

    AppAccess(AppStore apps, WallSettings.Reserved reserved, WallSettings.AllowedBuilders allowedBuilders) {
        this.apps = apps;
        this.reserved = reserved.policy();
        this.builders = allowedBuilders.policy();
    }

    public AppRef namespace(Caller caller, String namespace, String appName) {
        AppRef app = new AppRef(namespace, appName);
        requireUnreserved(namespace);
        requireNamespace(caller, namespace);
        return app;
    }

    /** Apps never go to the cluster's or the platform's own namespaces, whoever asks (admins too). */
    public void requireUnreserved(String namespace) {
        reserved.refusal(namespace).ifPresent(refusal -> {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "namespace reserved", refusal);
        });
    }

    /** The builder image runs the build with the platform's push rights: the operator chooses, not the pusher. */
    public void requireAllowedBuilder(String builderImage) {
        builders.refusal(builderImage).ifPresent(refusal -> {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "builder image not allowed", refusal);
        });
    }

    public void requireNamespace(Caller caller, String namespace) {
        if (!caller.canAccess(namespace)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden",
                    "user " + caller.username() + " has no access to namespace " + namespace);
        }
    }

    public AppState existing(Caller caller, String namespace, String appName) {
        AppRef app = namespace(caller, namespace, appName);
        return apps.find(app).orElseThrow(() -> ApiException.notFound("app " + app + " does not exist; create it "
                + "with POST /api/v1/namespaces/" + namespace + "/applications"));
    }
}
