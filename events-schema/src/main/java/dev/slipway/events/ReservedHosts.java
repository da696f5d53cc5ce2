package dev.slipway.events;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Hosts no app may route: the platform's own names. The API refuses them when an app is created or
 * changed, routing refuses them on every deploy, so both read the one setting
 * ({@value #SETTING}) through this class.
 *
 * <p>A pattern is a host ({@code api.example.com}) or {@code *.} and a suffix ({@code *.internal}: every
 * host below it, not the suffix itself); {@code {system-domain}} stands for the configured system
 * domain. IP address literals are always reserved: an Ingress cannot hold one, and the local router
 * must not hand its own address to an app.
 */
public final class ReservedHosts {

    public static final String SETTING = "slipway.routes.reserved-hosts";
    public static final String SYSTEM_DOMAIN = "{system-domain}";

    /** The API, the registry and the console under the system domain, the domain itself, and localhost. */
    public static final List<String> DEFAULTS = List.of("localhost", SYSTEM_DOMAIN, "api." + SYSTEM_DOMAIN,
            "registry." + SYSTEM_DOMAIN, "slipway." + SYSTEM_DOMAIN);

    private static final Pattern IPV4 = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    private final List<String> patterns;

    private ReservedHosts(List<String> patterns) {
        this.patterns = patterns;
    }

    /** {@code patterns} with {@code {system-domain}} filled in; null or empty: {@link #DEFAULTS}. */
    public static ReservedHosts of(List<String> patterns, String systemDomain) {
        List<String> chosen = patterns == null || patterns.isEmpty() ? DEFAULTS : patterns;
        return new ReservedHosts(chosen.stream().map(String::trim).filter(pattern -> !pattern.isEmpty())
                .map(pattern -> pattern.replace(SYSTEM_DOMAIN, systemDomain).toLowerCase(Locale.ROOT)).toList());
    }

    /** Whether {@code host} (as {@link Route} spells it) belongs to the platform. */
    public boolean reserves(String host) {
        String wanted = host.toLowerCase(Locale.ROOT);
        if (IPV4.matcher(wanted).matches()) {
            return true;
        }
        for (String pattern : patterns) {
            if (pattern.startsWith("*.") ? wanted.endsWith(pattern.substring(1)) : wanted.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** What to do about a reserved host. */
    public static final String NEXT_STEP = "route the app on a host of your own (for the default route "
            + "<app>.<system-domain>: give the app another name)";

    /** What a user reads when a route names a reserved host, with the way out. */
    public static String refusal(String host) {
        return "host " + host + " is reserved for the platform; " + NEXT_STEP;
    }

    public List<String> patterns() {
        return patterns;
    }

    @Override
    public String toString() {
        return "ReservedHosts" + patterns;
    }
}
