package dev.slipway.testsupport.kubernetes;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * fabric8's CRUD dispatcher, plus what Helm needs from an API server that the mock lacks: discovery
 * documents, a JSON Content-Type on every answer, typed list kinds ({@code SecretList}), protobuf
 * Secrets (Helm's release records) read into JSON, and no OpenAPI (so Helm must skip schema
 * validation against the mock). Helm's upgrades need {@code force} here: the mock has no strategic
 * merge patch, and force makes Helm replace objects with PUT.
 */
public class HelmFriendlyDispatcher extends KubernetesCrudDispatcher {

    private static final String API_VERSIONS = "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
            + "\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}";
    private static final Map<String, List<String[]>> GROUPS = Map.of(
            "v1", List.of(r("secrets", "Secret"), r("services", "Service"), r("pods", "Pod"),
                    r("configmaps", "ConfigMap"), r("serviceaccounts", "ServiceAccount"), r("events", "Event"),
                    new String[] {"namespaces", "Namespace", "false"}),
            "apps/v1", List.of(r("deployments", "Deployment"), r("replicasets", "ReplicaSet"),
                    r("statefulsets", "StatefulSet")),
            "batch/v1", List.<String[]>of(r("jobs", "Job")),
            "networking.k8s.io/v1", List.of(r("ingresses", "Ingress"), r("networkpolicies", "NetworkPolicy")),
            "policy/v1", List.<String[]>of(r("poddisruptionbudgets", "PodDisruptionBudget")),
            "rbac.authorization.k8s.io/v1", List.of(r("roles", "Role"), r("rolebindings", "RoleBinding"),
                    new String[] {"clusterroles", "ClusterRole", "false"},
                    new String[] {"clusterrolebindings", "ClusterRoleBinding", "false"}),
            "coordination.k8s.io/v1", List.<String[]>of(r("leases", "Lease")));

    private static String[] r(String name, String kind) {
        return new String[] {name, kind, "true"};
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath().split("\\?")[0];
        MockResponse response;
        if (path.startsWith("/openapi")) {
            response = new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"code\":404}");
        } else if (path.equals("/api")) {
            response = json(API_VERSIONS);
        } else if (path.equals("/apis")) {
            response = json(groupList());
        } else if (path.equals("/api/v1") || GROUPS.containsKey(path.replaceFirst("^/apis/", "")) && path.startsWith("/apis/")) {
            response = json(resourceList(path.equals("/api/v1") ? "v1" : path.substring("/apis/".length())));
        } else if (ProtobufSecrets.isProtobuf(request.getHeader("Content-Type"))) {
            response = super.dispatch(asJson(request));
        } else {
            response = typedList(path, super.dispatch(request));
        }
        if (response.header("Content-Type") == null) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    /**
     * The mock answers every collection as {@code "kind":"List"}; typed clients such as Helm's want
     * {@code SecretList}, {@code DeploymentList}...
     */
    private static MockResponse typedList(String path, MockResponse response) {
        String[] segments = path.split("/");
        String plural = segments[segments.length - 1];
        String groupVersion = path.startsWith("/api/v1") ? "v1" : segments.length > 3 ? segments[2] + "/" + segments[3] : "";
        if (response.code() != 200 || response.getBody() == null || !GROUPS.containsKey(groupVersion)) {
            return response;
        }
        return GROUPS.get(groupVersion).stream().filter(resource -> resource[0].equals(plural)).findFirst()
                .map(resource -> {
                    String body = new String(Arrays.copyOf(response.getBody().getBytes(),
                            (int) response.getBody().size()), StandardCharsets.UTF_8);
                    return body.startsWith("{\"apiVersion\":\"" + groupVersion + "\",\"kind\":\"List\"")
                            ? response.setBody(body.replaceFirst("\"kind\":\"List\"", "\"kind\":\"" + resource[1]
                            + "List\""))
                            : response;
                })
                .orElse(response);
    }

    /** The same request with its protobuf Secret re-encoded as JSON, which the CRUD store understands. */
    private static RecordedRequest asJson(RecordedRequest request) {
        // the buffer's array may be longer than its content
        byte[] body = Arrays.copyOf(request.getBody().getBytes(), (int) request.getBody().size());
        String json = Serialization.asJson(ProtobufSecrets.read(body));
        Headers headers = request.getHeaders().newBuilder().set("Content-Type", "application/json").build();
        return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), headers,
                new Buffer().writeString(json, StandardCharsets.UTF_8));
    }

    private static MockResponse json(String body) {
        return new MockResponse().setResponseCode(200).setBody(body);
    }

    private static String groupList() {
        StringBuilder groups = new StringBuilder();
        GROUPS.keySet().stream().filter(groupVersion -> groupVersion.contains("/")).sorted().forEach(groupVersion -> {
            String[] parts = groupVersion.split("/");
            String version = "{\"groupVersion\":\"" + groupVersion + "\",\"version\":\"" + parts[1] + "\"}";
            groups.append(groups.length() == 0 ? "" : ",").append("{\"name\":\"").append(parts[0])
                    .append("\",\"versions\":[").append(version).append("],\"preferredVersion\":").append(version)
                    .append("}");
        });
        return "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + groups + "]}";
    }

    private static String resourceList(String groupVersion) {
        StringBuilder resources = new StringBuilder();
        for (String[] resource : GROUPS.get(groupVersion)) {
            resources.append(resources.length() == 0 ? "" : ",").append("{\"name\":\"").append(resource[0])
                    .append("\",\"singularName\":\"").append(resource[1].toLowerCase()).append("\",\"namespaced\":")
                    .append(resource[2]).append(",\"kind\":\"").append(resource[1])
                    .append("\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}");
        }
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                + "\",\"resources\":[" + resources + "]}";
    }
}
