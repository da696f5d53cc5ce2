package dev.slipway.testsupport.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Requests read as Kubernetes' authorizer reads them (its request-info rules). */
class ApiAccessTest {

    @Test
    void namespacedObjectsAndCollectionsGetTheirVerbs() {
        assertThat(ApiAccess.of("GET", "/apis/batch/v1/namespaces/slipway-staging/jobs/build-1", ""))
                .isEqualTo(new ApiAccess("get", "batch", "jobs", "slipway-staging", "build-1", null));
        assertThat(ApiAccess.of("GET", "/api/v1/namespaces/ws/pods", "labelSelector=job-name%3Dx"))
                .isEqualTo(new ApiAccess("list", "", "pods", "ws", "", null));
        assertThat(ApiAccess.of("GET", "/apis/apps/v1/namespaces/ws/deployments", "fieldSelector=x&watch=true"))
                .extracting(ApiAccess::verb).isEqualTo("watch");
        assertThat(ApiAccess.of("POST", "/api/v1/namespaces/ws/secrets", "").verb()).isEqualTo("create");
        assertThat(ApiAccess.of("PUT", "/api/v1/namespaces/ws/secrets/s", "").verb()).isEqualTo("update");
        assertThat(ApiAccess.of("PATCH", "/api/v1/namespaces/ws/secrets/s", "").verb()).isEqualTo("patch");
        assertThat(ApiAccess.of("DELETE", "/api/v1/namespaces/ws/secrets/s", "").verb()).isEqualTo("delete");
        assertThat(ApiAccess.of("DELETE", "/api/v1/namespaces/ws/secrets", "").verb()).isEqualTo("deletecollection");
    }

    @Test
    void subresourcesAreNamedWithTheirResource() {
        assertThat(ApiAccess.of("GET", "/api/v1/namespaces/s/pods/build-1-abc/log", "container=build"))
                .isEqualTo(new ApiAccess("get", "", "pods/log", "s", "build-1-abc", null));
        assertThat(ApiAccess.of("PUT", "/apis/apps/v1/namespaces/ws/deployments/app/status", "").resource())
                .isEqualTo("deployments/status");
    }

    @Test
    void aNamespaceObjectIsClusterScopedUnlessNamedWhenItBelongsToItself() {
        assertThat(ApiAccess.of("POST", "/api/v1/namespaces", ""))
                .isEqualTo(new ApiAccess("create", "", "namespaces", "", "", null));
        // as the API server reads it: a Role in namespace ws may allow reading namespace ws itself
        assertThat(ApiAccess.of("GET", "/api/v1/namespaces/ws", ""))
                .isEqualTo(new ApiAccess("get", "", "namespaces", "ws", "ws", null));
        assertThat(ApiAccess.of("PUT", "/api/v1/namespaces/ws/finalize", "").resource()).isEqualTo("namespaces/finalize");
    }

    @Test
    void requestsAcrossAllNamespacesAreClusterWide() {
        ApiAccess all = ApiAccess.of("GET", "/apis/networking.k8s.io/v1/ingresses", "");
        assertThat(all).isEqualTo(new ApiAccess("list", "networking.k8s.io", "ingresses", "", "", null));
        assertThat(all.clusterWide()).isTrue();
    }

    @Test
    void discoveryIsKeptApartFromResources() {
        for (String path : new String[] {"/api", "/apis", "/api/v1", "/apis/apps/v1", "/version", "/openapi/v2"}) {
            ApiAccess access = ApiAccess.of("GET", path, "");
            assertThat(access.isResource()).as(path).isFalse();
            assertThat(access.isDiscovery()).as(path).isTrue();
        }
        assertThat(ApiAccess.of("GET", "/metrics", "").isDiscovery()).isFalse();
        assertThat(ApiAccess.of("POST", "/api", "").isDiscovery()).isFalse();
    }
}
