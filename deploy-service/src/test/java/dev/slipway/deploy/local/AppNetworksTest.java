package dev.slipway.deploy.local;

import dev.slipway.events.RuntimeLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.events.EventJson;
import dev.slipway.testsupport.podman.PodmanCli;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The namespaces' networks, made by real podman the way deploys make them. */
class AppNetworksTest {

    private final String installation = "net-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final Podman podman = new Podman("podman", "runc", installation, Optional.empty(), Duration.ofSeconds(1));
    private final AppNetworks networks = new AppNetworks(podman, installation);

    @BeforeEach
    void podmanIsHere() {
        assumeTrue(PodmanCli.works(), "podman is not installed here (scripts/setup-debian.sh installs it)");
    }

    @AfterEach
    void removeTheNetworks() throws Exception {
        for (String network : List.of("shop", "race")) {
            podman("network", "rm", "-f", networks.name(network));
        }
    }

    @Test
    void aNamespaceGetsOneIsolatedBridgeOfItsOwnLabelledWithTheInstallation() throws Exception {
        String first = networks.ensure("shop");
        String again = networks.ensure("shop");

        assertThat(first).isEqualTo(again).isEqualTo("slipway_" + installation + "_shop");
        JsonNode inspected = EventJson.mapper().readTree(podman("network", "inspect", first)).get(0);
        assertThat(inspected.path("driver").asString()).isEqualTo("bridge");
        assertThat(inspected.path("options").path("isolate").asString()).isEqualTo("true");
        assertThat(inspected.path("internal").asBoolean()).isFalse();
        assertThat(inspected.path("labels").path(RuntimeLabels.INSTALLATION).asString()).isEqualTo(installation);
    }

    @Test
    void deploysThatMakeTheSameNetworkAtOnceAllGetIt() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> made = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // each with its own AppNetworks, as separate services or installations sharing podman would
                AppNetworks own = new AppNetworks(podman, installation);
                made.add(threads.submit((Callable<String>) () -> own.ensure("race")));
            }
            for (Future<String> network : made) {
                assertThat(network.get()).isEqualTo(networks.name("race"));
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(podman("network", "ls", "--format", "{{.Name}}").lines()
                .filter(networks.name("race")::equals)).hasSize(1);
    }

    @Test
    void anInstallationNamePodmanWouldRefuseIsNamedBeforePodmanIsAsked() {
        AppNetworks odd = new AppNetworks(podman, "my installation");

        assertThatThrownBy(() -> odd.ensure("shop")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slipway.local.installation");
    }

    private static String podman(String... args) {
        return PodmanCli.run(args).output();
    }
}
