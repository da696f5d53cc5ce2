package dev.slipway.upload.changes;

import dev.slipway.events.AppReleases;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployChange;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.Route;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.apps.AppStore;
import dev.slipway.upload.apps.EnvChange;
import dev.slipway.upload.apps.RouteNames;
import dev.slipway.upload.eventlog.PushRequests;
import dev.slipway.upload.limits.LimitsProperties;
import dev.slipway.upload.releases.AppReleasesView;
import dev.slipway.upload.status.PushState;
import dev.slipway.upload.status.PushStates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Day-2 changes of an app that exists (callers checked access): scale, restart, env, routes. Each
 * stores the app's new settings; when the app has a release running, it then runs that release's
 * image again with them as a new push (a {@code deploy.requested} naming the change), so history,
 * webhooks, replay and push status cover it. Without a release the settings wait for the next push.
 */
@Component
class AppChanges {

    private final AppStore apps;
    private final AppReleasesView releases;
    private final PushRequests requests;
    private final RouteNames routeNames;
    private final SecretBox secrets;
    private final LimitsProperties limits;
    private final PushStates pushes;

    AppChanges(AppStore apps, AppReleasesView releases, PushRequests requests, RouteNames routeNames,
               SecretBox secrets, LimitsProperties limits, PushStates pushes) {
        this.pushes = pushes;
        this.apps = apps;
        this.releases = releases;
        this.requests = requests;
        this.routeNames = routeNames;
        this.secrets = secrets;
        this.limits = limits;
    }

    /**
     * What a change led to: the push that carries it out, or none (then {@code message} says why).
     *
     * @param pushId the new push's id, or null when nothing was deployed
     */
    record Outcome(String pushId, String message) {
    }

    Outcome scale(AppState app, Integer instances) {
        if (instances == null) {
            throw ApiException.unprocessable("give the number of instances: {\"instances\": N}");
        }
        String refusal = limits.instancesRefusal(instances);
        if (refusal != null) {
            throw ApiException.unprocessable(refusal);
        }
        Optional<AppReleases.Release> running = running(app.ref());
        if (app.instances() == instances && running.map(release -> release.instances() == instances).orElse(true)) {
            return new Outcome(null, "app " + app.ref() + " has " + instances + " instances already; nothing changed");
        }
        return change(app.ref(), DeployChange.SCALE, current -> with(current, instances, current.routes(),
                current.sealedEnv(), current.configVersion()), "app " + app.ref() + " will run " + instances
                + " instances");
    }

    Outcome restart(AppState app) {
        if (running(app.ref()).isEmpty()) {
            throw ApiException.conflict("app " + app.ref() + " has no release to restart; push it first");
        }
        return change(app.ref(), DeployChange.RESTART, UnaryOperator.identity(), "restart");
    }

    /** The app's env var names, values masked: values are shown by the app's own GET, not in lists. */
    Map<String, String> env(AppState app) {
        Map<String, String> masked = new TreeMap<>();
        app.sealedEnv().keySet().forEach(name -> masked.put(name, "***"));
        return masked;
    }

    Outcome changeEnv(AppState app, Map<String, String> set, List<String> unset) {
        EnvChange change;
        try {
            change = EnvChange.of(set, unset);
        } catch (IllegalArgumentException refused) {
            throw ApiException.unprocessable(refused.getMessage());
        }
        return change(app.ref(), DeployChange.ENV, current -> {
            Map<String, String> env;
            try {
                env = change.applyTo(current.sealedEnv(), secrets::seal);
            } catch (IllegalArgumentException refused) {
                throw ApiException.unprocessable(refused.getMessage());
            }
            return with(current, current.instances(), current.routes(), env, current.configVersion() + 1);
        }, "env of app " + app.ref() + " changed");
    }

    List<String> routes(AppState app) {
        return routeNames.all(app);
    }

    Outcome addRoute(AppState app, String typed) {
        if (typed == null || typed.isBlank()) {
            throw ApiException.unprocessable("give the route to add: {\"route\": \"host[/path]\"}");
        }
        String route = routeNames.normalize(List.of(typed)).get(0);
        if (routeNames.all(app).contains(route)) {
            throw ApiException.conflict("app " + app.ref() + " has route " + route + " already");
        }
        return change(app.ref(), DeployChange.ROUTES, current -> {
            new RouteOwners(apps.list(namespace -> true), routeNames::all).conflict(current.ref(), Route.parse(route))
                    .ifPresent(conflict -> {
                        throw new ApiException(HttpStatus.CONFLICT, ReasonCodes.ROUTE_CONFLICT, conflict);
                    });
            List<String> routes = new ArrayList<>(current.routes());
            routes.add(route);
            return with(current, current.instances(), routeNames.normalize(routes), current.sealedEnv(),
                    current.configVersion());
        }, "route " + route + " added to app " + app.ref());
    }

    Outcome removeRoute(AppState app, String typed) {
        if (typed == null || typed.isBlank()) {
            throw ApiException.badRequest("name the route to remove: ?route=host/path");
        }
        String route = routeNames.normalize(List.of(typed)).get(0);
        if (app.defaultRoute() && routeNames.all(app).get(0).equals(route)) {
            throw ApiException.unprocessable("route " + route + " is the app's default route: it stays as long as the "
                    + "app exists; remove the app to free it, and route users to another app with routes of its own");
        }
        if (!app.routes().contains(route)) {
            throw ApiException.notFound("app " + app.ref() + " has no route " + route + "; list them with GET "
                    + ".../routes (slipway routes list)");
        }
        return change(app.ref(), DeployChange.ROUTES, current -> {
            List<String> routes = new ArrayList<>(current.routes());
            routes.remove(route);
            return with(current, current.instances(), routes, current.sealedEnv(), current.configVersion());
        }, "route " + route + " removed from app " + app.ref());
    }

    /**
     * Stores the change, then deploys the running release with the settings it leads to. One app's
     * changes go one at a time, so their pushes reach the log in the order the settings were stored.
     */
    private Outcome change(AppRef ref, DeployChange kind, UnaryOperator<AppState> edit, String what) {
        return apps.inOrder(ref, () -> {
            // a change runs the image that is running now: while another push of the app is on its way (a new
            // image, a rollback, an earlier change), that image is about to change and the two would race
            Optional<PushState> unfinished = pushes.unfinished(ref);
            if (unfinished.isPresent()) {
                String other = unfinished.get().pushId();
                throw new ApiException(HttpStatus.CONFLICT, "a push of the app is running", "push " + other
                        + " of app " + ref + " is " + unfinished.get().phase() + "; nothing was changed. Change the app "
                        + "once that push has ended (slipway events " + other + " --follow)", null);
            }
            AppState changed = kind == DeployChange.RESTART
                    ? apps.current(ref).orElseThrow(() -> gone(ref))
                    : apps.update(ref, edit).orElseThrow(() -> gone(ref));
            Optional<AppReleases.Release> running = running(ref);
            if (running.isEmpty()) {
                return new Outcome(null, what + "; it applies at the next push");
            }
            String pushId = requests.requestDeploy(new DeployRequested(UUID.randomUUID().toString(), ref,
                    DeployAction.DEPLOY, running.get().stageId(), running.get().image(), null, changed.settings(),
                    kind)).id();
            return new Outcome(pushId, what);
        });
    }

    private Optional<AppReleases.Release> running(AppRef app) {
        return releases.of(app).map(AppReleases::current);
    }

    private static ApiException gone(AppRef app) {
        return ApiException.notFound("app " + app + " does not exist any more");
    }

    private static AppState with(AppState app, int instances, List<String> routes, Map<String, String> sealedEnv,
                                 int configVersion) {
        return new AppState(app.namespace(), app.name(), app.owner(), app.createdAt(), instances, app.defaultRoute(),
                routes, sealedEnv, configVersion, app.builderImage(), app.lastBlobUid(), app.lastStageId(),
                app.memoryMb());
    }
}
