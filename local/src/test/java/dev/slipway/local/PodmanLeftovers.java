package dev.slipway.local;

import dev.slipway.testsupport.podman.PodmanCli;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test's installation leaves in podman, which the whole machine shares: its apps' containers
 * (kept when the platform stops, to come back with it) and its namespaces' networks. Each test
 * installation is new, so without this every run would keep a /24 of podman's network pool per
 * namespace it used, until no network could be made.
 */
final class PodmanLeftovers {

    /** The label deploy-service puts on every container and network of one installation. */
    static final String INSTALLATION_LABEL = "slipway.dev/installation";

    private PodmanLeftovers() {
    }

    /** The installation of the platform whose data folder is {@code dataDir}. */
    static String installationOf(Path dataDir) throws IOException {
        return LocalSecrets.loadOrCreate(dataDir.resolve("secrets.properties")).installation();
    }

    /** Ids of the installation's containers, as {@code podman ps} lists them with {@code flags}. */
    static List<String> containers(String installation, String... flags) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("podman", "ps", "-q", "--filter",
                "label=" + INSTALLATION_LABEL + "=" + installation));
        line.addAll(List.of(flags));
        return ids(command(line.toArray(String[]::new)));
    }

    /** Removes every container of the installation, then its networks (podman keeps a network a container uses). */
    static void remove(String installation) throws IOException, InterruptedException {
        for (String id : containers(installation, "--all")) {
            command("podman", "rm", "-f", "-t", "0", id);
        }
        for (String network : ids(command("podman", "network", "ls", "-q", "--filter",
                "label=" + INSTALLATION_LABEL + "=" + installation))) {
            command("podman", "network", "rm", "-f", network);
        }
        // made on demand by the installation's first build, without the installation's label
        command("podman", "network", "rm", "-f", LocalPlatform.buildNetwork(installation));
    }

    private static List<String> ids(String output) {
        return output.lines().map(String::strip).filter(id -> !id.isEmpty()).toList();
    }

    private static String command(String... line) {
        return PodmanCli.run(List.of(line).subList(1, line.length)).output();
    }
}
