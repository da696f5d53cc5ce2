package dev.slipway.upload.apps;

import dev.slipway.events.AppState;
import dev.slipway.events.Route;
import dev.slipway.upload.api.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Routes as users type them ({@code https://Example.com/api/}) to the form stored ({@code example.com/api}). */
@Component
public class RouteNames {

    private final String systemDomain;

    RouteNames(@Value("${slipway.system-domain:localhost}") String systemDomain) {
        this.systemDomain = systemDomain;
    }

    public List<String> normalize(List<String> routes) {
        LinkedHashSet<String> normalized = new LinkedHashSet<>();
        for (String route : routes) {
            normalized.add(normalize(route));
        }
        return List.copyOf(normalized);
    }

    /** The default route (when the app has it) and then the custom ones. */
    public List<String> all(AppState app) {
        List<String> all = new ArrayList<>();
        if (app.defaultRoute()) {
            all.add(app.name() + "." + systemDomain);
        }
        all.addAll(app.routes());
        return all;
    }

    static String normalize(String route) {
        try {
            return Route.parse(route).toString();
        } catch (IllegalArgumentException invalid) {
            throw ApiException.unprocessable(invalid.getMessage());
        }
    }
}
