package dev.slipway.staging.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Build env names a builder's own process would read: a build env var reaches the builder (podman
 * locally, Kaniko on Kubernetes) through that process's environment, so it may not carry a name that
 * changes how the builder runs. Matched whatever the case (Go reads {@code http_proxy} as well as
 * {@code HTTP_PROXY}), as whole names or as prefixes.
 */
public final class ReservedBuildEnv {

    /**
     * What every Go builder reads: Go's runtime and its network, TLS and loader settings, the
     * container tools' connection settings, the usual process settings, and the platform's registry arg.
     */
    public static final ReservedBuildEnv GO_BUILDERS = new ReservedBuildEnv(
            Set.of("HOME", "PATH", "TMPDIR", "USER", "SHELL", "GODEBUG", "GOGC", "GOMAXPROCS", "GOMEMLIMIT",
                    "GOTRACEBACK", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "FTP_PROXY",
                    "REQUEST_METHOD", "SLIPWAY_REGISTRY"),
            List.of("SSL_", "LD_", "DOCKER_", "CONTAINER_", "CONTAINERS_", "_CONTAINERS_", "REGISTRY_AUTH",
                    "GRPC_", "OTEL_"));

    /** podman, buildah, containers/storage and /image, netavark, systemd and D-Bus, locale and time zone. */
    public static final ReservedBuildEnv PODMAN = GO_BUILDERS.plus(
            Set.of("NOTIFY_SOCKET", "GNUPGHOME", "TZ", "LANG", "LANGUAGE", "TERM", "DBUS_SESSION_BUS_ADDRESS"),
            List.of("BUILDAH_", "PODMAN_", "STORAGE_", "REGISTRIES_", "XDG_", "DBUS_", "SYSTEMD_", "LISTEN_",
                    "NETAVARK_", "AARDVARK_", "CNI_", "RUST_", "LC_", "CONMON_", "OCI_", "RUNC_"));

    /** Kaniko and the cloud registries' credential helpers it carries, and what Kubernetes sets. */
    public static final ReservedBuildEnv KANIKO = GO_BUILDERS.plus(Set.of(),
            List.of("KANIKO_", "AWS_", "GOOGLE_", "AZURE_", "ACR_", "KUBERNETES_"));

    private final Set<String> names;
    private final List<String> prefixes;

    private ReservedBuildEnv(Set<String> names, List<String> prefixes) {
        this.names = Set.copyOf(names);
        this.prefixes = List.copyOf(prefixes);
    }

    /** These names and prefixes and {@code moreNames}, {@code morePrefixes}. */
    public ReservedBuildEnv plus(Set<String> moreNames, List<String> morePrefixes) {
        Set<String> allNames = new TreeSet<>(names);
        allNames.addAll(moreNames);
        List<String> allPrefixes = new ArrayList<>(prefixes);
        allPrefixes.addAll(morePrefixes);
        return new ReservedBuildEnv(allNames, allPrefixes);
    }

    public boolean reserved(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return names.contains(upper) || prefixes.stream().anyMatch(upper::startsWith);
    }

    /** For a refusal's message: the names, then the prefixes with a {@code *}. */
    public String describe() {
        List<String> all = new ArrayList<>(new TreeSet<>(names));
        prefixes.stream().sorted().map(prefix -> prefix + "*").forEach(all::add);
        return String.join(", ", all);
    }
}
