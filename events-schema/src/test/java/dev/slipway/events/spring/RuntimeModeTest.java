package dev.slipway.events.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

class RuntimeModeTest {

    @TempDir
    Path home;

    @Test
    void localIsTheDefaultWithoutAnyKubeconfig() throws Exception {
        assertThat(mode(new MockEnvironment(), Map.of())).isEqualTo(RuntimeMode.LOCAL);
    }

    @Test
    void aConfiguredKubeconfigOrAClusterMeansKubernetes() throws Exception {
        assertThat(mode(new MockEnvironment().withProperty("slipway.deploy.kubeconfig", "/k"), Map.of()))
                .isEqualTo(RuntimeMode.KUBERNETES);
        assertThat(mode(new MockEnvironment(), Map.of("KUBECONFIG", "/k"))).isEqualTo(RuntimeMode.KUBERNETES);
        assertThat(mode(new MockEnvironment(), Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1")))
                .isEqualTo(RuntimeMode.KUBERNETES);
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), "apiVersion: v1");
        assertThat(mode(new MockEnvironment(), Map.of())).isEqualTo(RuntimeMode.KUBERNETES);
    }

    @Test
    void oneSettingChoosesExplicitly() throws Exception {
        assertThat(mode(new MockEnvironment().withProperty("slipway.runtime", "local")
                .withProperty("slipway.deploy.kubeconfig", "/k"), Map.of())).isEqualTo(RuntimeMode.LOCAL);
        assertThat(mode(new MockEnvironment().withProperty("slipway.runtime", "Kubernetes"), Map.of()))
                .isEqualTo(RuntimeMode.KUBERNETES);
        assertThatThrownBy(() -> mode(new MockEnvironment().withProperty("slipway.runtime", "docker"), Map.of()))
                .hasMessage("slipway.runtime must be kubernetes, local or auto, was 'docker'");
    }

    private RuntimeMode mode(Environment environment, Map<String, String> variables) {
        return RuntimeMode.of(environment, variables, home);
    }
}
