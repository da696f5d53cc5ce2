package dev.slipway.upload.apps;

import dev.slipway.events.AppState;
import dev.slipway.upload.api.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Routes as users type them ({@code https://Example.com/api/}) to the form stored ({@code example.com/api}). */
@Component
public class RouteNames {

    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*/?");

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
        String value = route == null ? "" : route.trim().replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "");
        int slash = value.indexOf('/');
        String host = (slash < 0 ? value : value.substring(0, slash)).toLowerCase(Locale.ROOT);
        String path = slash < 0 ? "" : value.substring(slash);
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!HOST.matcher(host).matches() || !PATH.matcher(path).matches()) {
            throw ApiException.unprocessable("route '" + route + "' is not host[/path] with a DNS host name");
        }
        return host + path;
    }
}
