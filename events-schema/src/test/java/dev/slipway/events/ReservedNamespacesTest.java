package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReservedNamespacesTest {

    @Test
    void clusterAndPlatformNamespacesAreReservedWhateverTheSetting() {
        ReservedNamespaces reserved = ReservedNamespaces.with(List.of());
        for (String namespace : List.of("kube-system", "kube-public", "kube-node-lease", "default", "slipway",
                "slipway-staging", "kube-flannel")) {
            assertThat(reserved.refusal(namespace)).as(namespace).hasValueSatisfying(message ->
                    assertThat(message).contains(namespace, ReservedNamespaces.SETTING));
        }
        assertThat(reserved.refusal("workspace")).isEmpty();
        assertThat(reserved.refusal("team-a")).isEmpty();
        assertThat(reserved.refusal("kubeflow")).as("only the kube- prefix").isEmpty();
    }

    @Test
    void theSettingAddsNamespaces() {
        ReservedNamespaces reserved = ReservedNamespaces.with(List.of(" monitoring ", "", "ingress"));
        assertThat(reserved.isReserved("monitoring")).isTrue();
        assertThat(reserved.isReserved("ingress")).isTrue();
        assertThat(reserved.isReserved("kube-system")).isTrue();
        assertThat(reserved.isReserved("workspace")).isFalse();
    }
}
