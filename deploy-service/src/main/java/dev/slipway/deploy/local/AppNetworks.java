package dev.slipway.deploy.local;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The podman network of each namespace: a bridge of its own with netavark's {@code isolate} option, so
 * apps of one namespace reach each other and nothing of another namespace, and never the host's
 * loopback, where the platform listens. Made on first use; another deploy-service (a second
 * installation, a restart) may make the same network at the same moment, which is no failure.
 */
final class AppNetworks {

    /** What podman accepts as a network name. */
    private static final Pattern PODMAN_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    private final Podman podman;
    private final String installation;

    AppNetworks(Podman podman, String installation) {
        this.podman = podman;
        this.installation = installation;
    }

    /** The network's name: per installation too, so two installations' apps are as far apart as two namespaces. */
    String name(String namespace) {
        String name = "slipway_" + installation + "_" + namespace;
        if (!PODMAN_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' cannot name a podman network; "
                    + "slipway.local.installation may hold letters, digits, '.', '_' and '-'");
        }
        return name;
    }

    /**
     * The namespace's network, made now unless it exists; asked of podman every time (about 40 ms), so a
     * network removed meanwhile ({@code podman network prune}) is made again rather than failing runs.
     */
    String ensure(String namespace) throws IOException {
        String name = name(namespace);
        if (podman.networkExists(name)) {
            return name;
        }
        Podman.Result created = podman.createIsolatedNetwork(name);
        // a create that lost a race to another process fails with "already exists": the network is there
        if (!created.ok() && !podman.networkExists(name)) {
            throw new IOException("podman could not create network " + name + ": " + created.output().strip());
        }
        return name;
    }

    /**
     * Removes the namespace's network once its last app has gone, so that deleted namespaces do not keep
     * a /24 of podman's address pool each; podman keeps a network a container still uses.
     */
    void removeIfUnused(String namespace) throws IOException {
        boolean used = podman.list(null).stream().anyMatch(container -> container.app().namespace().equals(namespace));
        if (!used) {
            podman.removeNetwork(name(namespace));
        }
    }
}
