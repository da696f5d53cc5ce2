package dev.slipway.testsupport.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * fabric8's CRUD mock API server, the one stand-in this project allows (no real API server runs on
 * the build machines), plus what a cluster's controllers would do that the mock does not: make a
 * Deployment's pods ready. Services talk to it through the same fabric8 client as to a cluster.
 */
public final class KubernetesMocks {

    private KubernetesMocks() {
    }

    /**
     * A started CRUD mock; {@code createClient()} gives the test's own client for it; {@code destroy()}
     * stops it. What services ask of it is recorded ({@link RequestRecorder}) under the caller's name.
     */
    public static KubernetesMockServer startCrudServer() {
        return start(new KubernetesCrudDispatcher(), StackWalker.getInstance(
                StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass().getName());
    }

    /**
     * A started CRUD mock that also answers what a test expects first ({@code expect()...}): for what the CRUD
     * store cannot answer, such as a pod's log. Recorded like {@link #startCrudServer()}.
     */
    public static KubernetesMockServer startMixedServer() {
        java.util.Map<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>
                responses = new HashMap<>();
        String owner = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass().getName();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new RequestRecorder(new KubernetesMixedDispatcher(responses), owner), false);
        server.init();
        return server;
    }

    /** A started CRUD mock that Helm (helm-java) can install, upgrade (with force), list and uninstall on. */
    public static KubernetesMockServer startHelmServer() {
        return start(new HelmFriendlyDispatcher(), StackWalker.getInstance(
                StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass().getName());
    }

    private static KubernetesMockServer start(io.fabric8.mockwebserver.http.Dispatcher dispatcher, String owner) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new RequestRecorder(dispatcher, owner), false);
        server.init();
        return server;
    }

    /** A kubeconfig for {@code server} for the test's own use (its requests are not the service's). */
    public static String kubeconfig(KubernetesMockServer server, String namespace) {
        return kubeconfigFor(server.url("/").replaceAll("/$", ""), namespace);
    }

    /**
     * A kubeconfig for {@code server} as {@code service} (staging, deploy, routing) gets one: its address
     * names the service, so what it asks of the API is recorded as that service's.
     */
    public static String serviceKubeconfig(KubernetesMockServer server, String namespace, String service) {
        return kubeconfigFor(serviceUrl(server, service), namespace);
    }

    /** The API server address {@code service} is given, as {@code kubernetes.master} or in a kubeconfig. */
    public static String serviceUrl(KubernetesMockServer server, String service) {
        return server.url(RequestRecorder.servicePath(service));
    }

    /** {@link #kubeconfig} written to a temporary file: for the test's own tools, not for a service (not recorded). */
    public static java.nio.file.Path kubeconfigFile(KubernetesMockServer server, String namespace)
            throws java.io.IOException {
        return java.nio.file.Files.writeString(java.nio.file.Files.createTempFile("kubeconfig", ".yaml"),
                kubeconfig(server, namespace));
    }

    /** {@link #serviceKubeconfig} written to a temporary file, as services take it ({@code slipway.*.kubeconfig}). */
    public static java.nio.file.Path serviceKubeconfigFile(KubernetesMockServer server, String namespace,
                                                           String service) throws java.io.IOException {
        return java.nio.file.Files.writeString(java.nio.file.Files.createTempFile("kubeconfig", ".yaml"),
                serviceKubeconfig(server, namespace, service));
    }

    /** A client for {@code server} as {@code service} uses one, for tests that hand one to the service's code. */
    public static KubernetesClient serviceClient(KubernetesMockServer server, String service) {
        return server.createClient(builder -> builder.editOrNewConfig()
                .withMasterUrl(serviceUrl(server, service)).endConfig());
    }

    /** The namespace {@code name}, as a cluster that Slipway's chart is installed on has it already. */
    public static void createNamespace(KubernetesClient client, String name) {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(name).endMetadata().build()).create();
    }

    private static String kubeconfigFor(String url, String namespace) {
        return "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n    server: "
                + url + "\ncontexts:\n- name: mock\n  context:\n    cluster: mock\n"
                + "    user: mock\n    namespace: " + namespace + "\ncurrent-context: mock\nusers:\n- name: mock\n"
                + "  user:\n    token: mock-token\n";
    }

    /** A kubeconfig whose API server does not answer (a free local port), written to a temporary file. */
    public static java.nio.file.Path unreachableKubeconfig() throws java.io.IOException {
        String kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster:\n    server: "
                + "http://127.0.0.1:" + dev.slipway.testsupport.FreePorts.next() + "\ncontexts:\n- name: gone\n"
                + "  context:\n    cluster: gone\n    user: gone\ncurrent-context: gone\nusers:\n- name: gone\n"
                + "  user:\n    token: t\n";
        return java.nio.file.Files.writeString(java.nio.file.Files.createTempFile("kubeconfig", ".yaml"), kubeconfig);
    }

    /**
     * Plays the Deployment controller for as long as the answer stays open: every Deployment that
     * is created or changed gets all its replicas ready, as a healthy cluster would do.
     */
    public static AutoCloseable deploymentController(KubernetesClient client) {
        var informer = client.apps().deployments().inAnyNamespace().inform(
                new io.fabric8.kubernetes.client.informers.ResourceEventHandler<Deployment>() {
                    @Override
                    public void onAdd(Deployment deployment) {
                        settle(deployment);
                    }

                    @Override
                    public void onUpdate(Deployment before, Deployment deployment) {
                        settle(deployment);
                    }

                    @Override
                    public void onDelete(Deployment deployment, boolean unknownFinalState) {
                        // nothing runs any more
                    }

                    private void settle(Deployment deployment) {
                        int replicas = deployment.getSpec().getReplicas() == null ? 1
                                : deployment.getSpec().getReplicas();
                        var status = deployment.getStatus();
                        boolean settled = status != null && java.util.Objects.equals(status.getObservedGeneration(),
                                deployment.getMetadata().getGeneration())
                                && java.util.Objects.equals(status.getReadyReplicas(), replicas)
                                && java.util.Objects.equals(status.getUpdatedReplicas(), replicas);
                        if (!settled) {
                            try {
                                markDeploymentReady(client, deployment.getMetadata().getNamespace(),
                                        deployment.getMetadata().getName());
                            } catch (RuntimeException goneOrChanged) {
                                // deleted or changed meanwhile: the next notice settles it
                            }
                        }
                    }
                });
        return informer::close;
    }

    /** Plays the Deployment controller: every desired replica is updated, ready and available. */
    public static Deployment markDeploymentReady(KubernetesClient client, String namespace, String name) {
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (deployment == null) {
            throw new IllegalStateException("no Deployment " + namespace + "/" + name + " to mark ready");
        }
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        deployment.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withReadyReplicas(replicas)
                .withAvailableReplicas(replicas)
                .build());
        return client.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
    }

    /**
     * The env an app's container gets from its Secret ({@code <app>-env}, through {@code envFrom}), as a
     * cluster would hand it over: {@code data} decoded, and {@code stringData} too, which the mock keeps
     * as it was sent where an API server would fold it into {@code data}. Empty when the app has none.
     */
    public static Map<String, String> appEnv(KubernetesClient client, String namespace, String app) {
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(app).get();
        Map<String, String> env = new TreeMap<>();
        if (deployment == null) {
            return env;
        }
        for (var source : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom()) {
            if (source.getSecretRef() == null) {
                continue;
            }
            var secret = client.secrets().inNamespace(namespace).withName(source.getSecretRef().getName()).get();
            if (secret == null) {
                continue;
            }
            if (secret.getData() != null) {
                secret.getData().forEach((name, value) -> env.put(name, new String(
                        Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
            }
            if (secret.getStringData() != null) {
                env.putAll(secret.getStringData());
            }
        }
        return env;
    }
}
