package dev.slipway.upload.apps;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.auth.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** The checks every app endpoint makes, in order: valid names (422), namespace access (403), app exists (404). */
@Component
public class AppAccess {

    private final AppStore apps;

    AppAccess(AppStore apps) {
        this.apps = apps;
    }

    public AppRef namespace(Caller caller, String namespace, String appName) {
        AppRef app = new AppRef(namespace, appName);
        requireNamespace(caller, namespace);
        return app;
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
