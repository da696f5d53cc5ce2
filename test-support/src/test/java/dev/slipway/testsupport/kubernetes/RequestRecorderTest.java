package dev.slipway.testsupport.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Only a service's requests are recorded, by service; the test's own client leaves no trace. */
class RequestRecorderTest {

    @Test
    void aServicesRequestsAreRecordedAndTheTestsOwnAreNot() throws Exception {
        KubernetesMockServer server = KubernetesMocks.startCrudServer();
        try (KubernetesClient test = server.createClient();
             KubernetesClient service = KubernetesMocks.serviceClient(server, "recorded");
             KubernetesClient fromKubeconfig = new KubernetesClientBuilder().withConfig(
                     io.fabric8.kubernetes.client.Config.fromKubeconfig(
                             KubernetesMocks.serviceKubeconfig(server, "ns", "other"))).build()) {
            test.configMaps().inNamespace("ns").resource(new ConfigMapBuilder().withNewMetadata().withName("set-up")
                    .endMetadata().build()).create();
            service.configMaps().inNamespace("ns").withName("set-up").get();
            service.configMaps().inNamespace("ns").withName("set-up").get();  // recorded once
            fromKubeconfig.secrets().inNamespace("ns").list();
            test.secrets().inAnyNamespace().list();
        } finally {
            server.destroy();
        }

        Map<String, Set<ApiAccess>> recorded = RequestRecorder.read(RequestRecorder.directory());
        assertThat(recorded.get("recorded")).containsExactly(
                new ApiAccess("get", "", "configmaps", "ns", "set-up", null));
        assertThat(recorded.get("other")).containsExactly(new ApiAccess("list", "", "secrets", "ns", "", null));
        assertThat(recorded.values()).flatMap(accesses -> accesses)
                .noneMatch(access -> access.resource().equals("secrets") && access.clusterWide())
                .noneMatch(access -> access.verb().equals("create"));
    }
}
