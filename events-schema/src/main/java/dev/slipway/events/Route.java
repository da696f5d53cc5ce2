package dev.slipway.events;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A route as stored and carried on events: a DNS host name and an optional path prefix
 * ({@code example.com/api}). Users may type a scheme, upper case or a trailing slash; {@link #parse}
 * takes those away, so one route has one spelling everywhere (app records, Ingresses, conflicts).
 *
 * @param host lower-case DNS name
 * @param path empty for the whole host, else {@code /segment[/segment...]} without a trailing slash
 */
public record Route(String host, String path) {

    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*");

    public Route {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("route host '" + host + "' is not a DNS name (lower-case letters, "
                    + "digits, '-' and '.')");
        }
        path = path == null ? "" : path;
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("route path '" + path + "' is not /segment[/segment...]");
        }
    }

    /** {@code https://Example.com/api/} becomes {@code example.com/api}; throws for anything not host[/path]. */
    public static Route parse(String typed) {
        String value = typed == null ? "" : typed.trim().replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "");
        int slash = value.indexOf('/');
        String host = (slash < 0 ? value : value.substring(0, slash)).toLowerCase(Locale.ROOT);
        String path = slash < 0 ? "" : value.substring(slash);
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new Route(host, path);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException("route '" + typed + "' is not host[/path] with a DNS host name: "
                    + invalid.getMessage(), invalid);
        }
    }

    /** The route every app gets unless it turns it off: {@code <app>.<system-domain>}, the whole host. */
    public static Route defaultRoute(String appName, String systemDomain) {
        return new Route(appName + "." + systemDomain, "");
    }

    /** The path an Ingress rule matches as a prefix: {@code /} for the whole host. */
    public String pathPrefix() {
        return path.isEmpty() ? "/" : path;
    }

    /** The URL users open, e.g. {@code https://example.com/api}; {@code port} 0 leaves the scheme's default. */
    public String url(boolean tls, int port) {
        return (tls ? "https://" : "http://") + host + (port > 0 ? ":" + port : "") + path;
    }

    @Override
    public String toString() {
        return host + path;
    }
}
