package dev.slipway.install.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testsupport.kubernetes.PlatformRoles;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shape of the platform chart's RBAC (templates/rbac.yaml), rendered by real Helm. That each
 * service's rules are exactly what its code uses is checked in the service's module (*RbacIT, against
 * the API requests its tests recorded); here: names, labels, where each grant applies, and the
 * powers no Slipway service may hold.
 */
class PlatformRbacTest {

    private static final Path CHART = Path.of(System.getProperty("slipway.root", "..")).resolve(
            "deploy/k8s/charts/slipway");
    private static final List<String> SERVICES = List.of("upload", "staging", "deploy", "routing");
    /** Powers that would let a service become more than it is: edit RBAC, act as others, reach into pods. */
    private static final Set<String> NEVER = Set.of("escalate", "bind", "impersonate", "*");
    private static final Set<String> NEVER_RESOURCES = Set.of("roles", "rolebindings", "clusterroles",
            "clusterrolebindings", "pods/exec", "pods/attach", "pods/portforward", "nodes/proxy",
            "serviceaccounts/token", "*");

    private final PlatformRoles rendered = PlatformRoles.render(CHART, "edge", "platform");

    @Test
    void everyServiceHasItsOwnServiceAccountNamedAndLabelledAsTheChartsOtherObjects() {
        for (String service : SERVICES) {
            ServiceAccount account = rendered.serviceAccount("platform", "edge-" + service).orElseThrow(
                    () -> new AssertionError("no ServiceAccount edge-" + service));
            assertThat(account.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "slipway")
                    .containsEntry("app.kubernetes.io/component", service)
                    .containsEntry("app.kubernetes.io/instance", "edge");
        }
        for (HasMetadata object : rbacObjects()) {
            // cluster-wide objects carry the namespace too: one release name in two namespaces must not collide
            assertThat(object.getMetadata().getName()).as(object.getKind())
                    .startsWith(object.getKind().startsWith("Cluster") ? "platform-edge-" : "edge-");
            assertThat(object.getMetadata().getLabels()).as(object.getKind() + " " + object.getMetadata().getName())
                    .containsEntry("app.kubernetes.io/name", "slipway")
                    .containsEntry("app.kubernetes.io/instance", "edge")
                    .containsKey("app.kubernetes.io/component");
        }
    }

    @Test
    void theApiMayOnlyListAndWatchPodsAndReadTheirLogs() {
        // apps show (instances) and slipway logs (fabric8 watches the pod before it reads its log); nothing
        // written, nothing exec'd or attached
        assertThat(rendered.grantsOf("platform", "edge-upload")).extracting(grant -> grant.verb() + " "
                + grant.resource()).containsExactlyInAnyOrder("list pods", "watch pods", "get pods/log");
    }

    @Test
    void stagingMayActInTheStagingNamespaceOnlyWhereverThatIs() {
        assertThat(rendered.grantsOf("platform", "edge-staging")).isNotEmpty()
                .allSatisfy(grant -> assertThat(grant.namespace()).isEqualTo("slipway-staging"));

        PlatformRoles moved = PlatformRoles.render(CHART, "edge", "platform", Map.of("staging.namespace", "builds"));
        assertThat(moved.grantsOf("platform", "edge-staging")).isNotEmpty()
                .allSatisfy(grant -> assertThat(grant.namespace()).isEqualTo("builds"));
    }

    @Test
    void routingsHostClaimsStayInTheReleaseNamespace() {
        assertThat(rendered.grantsOf("platform", "edge-routing"))
                .filteredOn(grant -> grant.resource().equals("leases"))
                .isNotEmpty()
                .allSatisfy(grant -> assertThat(grant.namespace()).isEqualTo("platform"));
    }

    @Test
    void noServiceMayEditRbacImpersonateOrReachIntoPods() {
        for (String service : SERVICES) {
            assertThat(rendered.grantsOf("platform", "edge-" + service)).as(service)
                    .noneMatch(grant -> NEVER.contains(grant.verb()) || NEVER.contains(grant.apiGroup())
                            || NEVER_RESOURCES.contains(grant.resource()))
                    .allMatch(grant -> grant.resourceNames().isEmpty() || !grant.verb().equals("create"));
        }
    }

    @Test
    void theChartHoldsNoRbacObjectsBoundToAnyoneButItsOwnAccounts() {
        for (HasMetadata object : rendered.objects()) {
            var subjects = object instanceof RoleBinding binding ? binding.getSubjects()
                    : object instanceof ClusterRoleBinding binding ? binding.getSubjects() : null;
            if (subjects != null) {
                assertThat(subjects).as(object.getMetadata().getName()).allSatisfy(subject -> {
                    assertThat(subject.getKind()).isEqualTo("ServiceAccount");
                    assertThat(subject.getNamespace()).isEqualTo("platform");
                    assertThat(subject.getName()).isIn(SERVICES.stream().map(s -> "edge-" + s).toList());
                });
            }
        }
    }

    private List<HasMetadata> rbacObjects() {
        return rendered.objects().stream().filter(object -> object instanceof ServiceAccount || object instanceof Role
                || object instanceof ClusterRole || object instanceof RoleBinding
                || object instanceof ClusterRoleBinding).toList();
    }
}
