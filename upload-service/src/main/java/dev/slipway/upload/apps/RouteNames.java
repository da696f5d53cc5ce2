package dev.slipway.upload.apps;

import dev.slipway.events.AppState;
import dev.slipway.events.ReservedHosts;
import dev.slipway.events.Route;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.limits.LimitsProperties;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Routes as users type them ({@code https://Example.com/api/}) to the form stored
 * ({@code example.com/api}), refusing early (422) what routing would refuse anyway and the API can
 * tell alone: hosts reserved for the platform, and more routes than an app may have. Which hosts
 * other namespaces hold only routing knows; it refuses those on deploy.
 */
@Component
public class RouteNames {

    private final String systemDomain;
    private final ReservedHosts reserved;
    private final LimitsProperties limits;

    RouteNames(@Value("${slipway.system-domain:localhost}") String systemDomain, ReservedHosts reserved,
               LimitsProperties limits) {
        this.systemDomain = systemDomain;
        this.reserved = reserved;
        this.limits = limits;
    }

    public List<String> normalize(List<String> routes) {
        LinkedHashSet<String> normalized = new LinkedHashSet<>();
        for (String route : routes) {
            normalized.add(normalize(route));
        }
        if (normalized.size() > limits.maxRoutesPerApp()) {
            throw ApiException.unprocessable("an app may have at most " + limits.maxRoutesPerApp() + " routes "
                    + "besides its default one (slipway.limits.max-routes-per-app), " + normalized.size()
                    + " were given; drop some or serve several paths from one route");
        }
        return List.copyOf(normalized);
    }

    /** Refuses an app name whose default route {@code <app>.<system-domain>} is a reserved host. */
    public void requireDefaultRouteFree(String appName) {
        Route route = Route.defaultRoute(appName, systemDomain);
        if (reserved.reserves(route.host())) {
            throw ApiException.unprocessable(ReservedHosts.refusal(route.host()));
        }
    }

    /** The default route (when the app has it) and then the custom ones. */
    public List<String> all(AppState app) {
        List<String> all = new ArrayList<>();
        if (app.defaultRoute()) {
            all.add(Route.defaultRoute(app.name(), systemDomain).toString());
        }
        all.addAll(app.routes());
        return all;
    }

    private String normalize(String route) {
        Route parsed;
        try {
            parsed = Route.parse(route);
        } catch (IllegalArgumentException invalid) {
            throw ApiException.unprocessable(invalid.getMessage());
        }
        if (reserved.reserves(parsed.host())) {
            throw ApiException.unprocessable(ReservedHosts.refusal(parsed.host()));
        }
        return parsed.toString();
    }
}
