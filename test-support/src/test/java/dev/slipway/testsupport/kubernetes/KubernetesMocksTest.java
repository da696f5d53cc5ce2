package dev.slipway.testsupport.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesMocksTest {

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = KubernetesMocks.startCrudServer();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void aDeploymentMarkedReadyReportsEveryReplicaReady() {
        client.apps().deployments().inNamespace("workspace").resource(new DeploymentBuilder()
                .withNewMetadata().withName("hello").withNamespace("workspace").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "hello").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "hello").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("hello:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();

        KubernetesMocks.markDeploymentReady(client, "workspace", "hello");

        Deployment read = client.apps().deployments().inNamespace("workspace").withName("hello").get();
        assertThat(read.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(read.getStatus().getAvailableReplicas()).isEqualTo(2);
        assertThat(read.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("hello:1");
    }
}
