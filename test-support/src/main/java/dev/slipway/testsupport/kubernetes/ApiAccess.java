package dev.slipway.testsupport.kubernetes;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What Kubernetes' authorizer sees of one API request (its "request attributes"): the verb, the API
 * group, the resource with its subresource ({@code pods/log}), the namespace ("" for cluster-scoped
 * objects and requests across all namespaces) and the object's name; or, for a path outside the
 * resource API ({@code /api}, {@code /version}...), that non-resource path alone. Read the way the
 * API server's request-info parser reads a request.
 *
 * @param nonResourcePath the path of a non-resource request, else null (and the other fields are set)
 */
public record ApiAccess(String verb, String apiGroup, String resource, String namespace, String name,
                        String nonResourcePath) {

    /** Paths every authenticated user may read (the system:discovery and system:public-info-viewer roles). */
    private static final List<String> DISCOVERY = List.of("/api", "/api/*", "/apis", "/apis/*", "/version",
            "/version/", "/openapi/*", "/healthz", "/livez", "/readyz");
    /** Below {@code namespaces/<name>/}, these belong to the namespace object itself, not to a resource in it. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /** The request {@code method path?query} as the authorizer sees it. */
    public static ApiAccess of(String method, String path, String query) {
        String[] parts = Arrays.stream(path.split("/")).filter(part -> !part.isEmpty()).toArray(String[]::new);
        String group;
        int rest;
        if (parts.length >= 2 && parts[0].equals("api")) {
            group = "";
            rest = 2;
        } else if (parts.length >= 3 && parts[0].equals("apis")) {
            group = parts[1];
            rest = 3;
        } else {
            return nonResource(method, path);
        }
        if (parts.length == rest) {
            return nonResource(method, path);  // a group version's discovery document
        }
        String[] segments = Arrays.copyOfRange(parts, rest, parts.length);
        String namespace = "";
        if (segments[0].equals("namespaces") && segments.length > 1) {
            namespace = segments[1];
            // namespaces/<n>/<resource>...: a resource in the namespace; namespaces/<n>[/status]: the namespace itself
            if (segments.length > 2 && !NAMESPACE_SUBRESOURCES.contains(segments[2])) {
                segments = Arrays.copyOfRange(segments, 2, segments.length);
            }
        }
        String resource = segments[0];
        String name = segments.length > 1 ? segments[1] : "";
        if (segments.length > 2) {
            resource += "/" + segments[2];
        }
        return new ApiAccess(verb(method, !name.isEmpty(), query), group, resource, namespace, name, null);
    }

    private static ApiAccess nonResource(String method, String path) {
        return new ApiAccess(method.toLowerCase(), "", "", "", "", path);
    }

    private static String verb(String method, boolean named, String query) {
        boolean watch = query != null && Arrays.stream(query.split("&"))
                .anyMatch(parameter -> parameter.equals("watch=true") || parameter.equals("watch=1"));
        return switch (method.toUpperCase()) {
            case "GET", "HEAD" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
    }

    public boolean isResource() {
        return nonResourcePath == null;
    }

    /** A non-resource read that Kubernetes grants to every authenticated user, so no role of ours needs it. */
    public boolean isDiscovery() {
        return !isResource() && verb.equals("get") && DISCOVERY.stream().anyMatch(allowed -> allowed.endsWith("*")
                ? nonResourcePath.startsWith(allowed.substring(0, allowed.length() - 1))
                : nonResourcePath.equals(allowed));
    }

    /** Cluster-scoped, or across all namespaces: only a ClusterRole bound cluster-wide allows it. */
    public boolean clusterWide() {
        return namespace.isEmpty();
    }

    @Override
    public String toString() {
        if (!isResource()) {
            return verb + " " + nonResourcePath;
        }
        return verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource
                + (name.isEmpty() ? "" : " " + name) + (namespace.isEmpty() ? " (cluster-wide)" : " in " + namespace);
    }
}
