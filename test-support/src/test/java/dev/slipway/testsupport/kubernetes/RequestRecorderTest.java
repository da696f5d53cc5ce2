package dev.slipway.testsupport.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
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

    @Test
    void helmsRequestsCountForTheServiceWhoseKubeconfigItWasGiven() throws Exception {
        KubernetesMockServer server = KubernetesMocks.startHelmServer();
        try {
            assertThat(Helm.list().all().withNamespace("apps")
                    .withKubeConfigContents(KubernetesMocks.serviceKubeconfig(server, "apps", "helm-user")).call())
                    .isEmpty();
            Helm.list().all().withNamespace("checked").withKubeConfigContents(KubernetesMocks.kubeconfig(server,
                    "checked")).call();
        } finally {
            server.destroy();
        }

        Set<ApiAccess> recorded = RequestRecorder.read(RequestRecorder.directory()).get("helm-user");
        assertThat(recorded).filteredOn(ApiAccess::isResource)
                .containsExactly(new ApiAccess("list", "", "secrets", "apps", "", null));
        assertThat(recorded).filteredOn(access -> !access.isResource()).allMatch(ApiAccess::isDiscovery);
        assertThat(RequestRecorder.read(RequestRecorder.directory()).values()).flatMap(accesses -> accesses)
                .noneMatch(access -> access.namespace().equals("checked"));
    }
}
