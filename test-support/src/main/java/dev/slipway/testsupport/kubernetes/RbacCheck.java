package dev.slipway.testsupport.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * Holds a service's RBAC to what its code asks of the API server: every recorded access must be
 * allowed by a rule bound to the service's ServiceAccount (nothing missing) and every rule must allow
 * at least one recorded access (nothing unused). Discovery reads ({@code /api}, {@code /version}...)
 * need no rule: Kubernetes grants them to every authenticated user.
 */
public final class RbacCheck {

    private RbacCheck() {
    }

    /** What is wrong, one line per access or rule; empty when the grants fit the accesses exactly. */
    public static List<String> problems(Collection<PlatformRoles.Grant> grants, Collection<ApiAccess> accesses) {
        List<String> problems = new ArrayList<>();
        for (ApiAccess access : accesses) {
            if (access.isDiscovery()) {
                continue;
            }
            if (!access.isResource()) {
                problems.add("not allowed (a non-resource request beyond discovery): " + access);
            } else if (grants.stream().noneMatch(grant -> grant.allows(access))) {
                problems.add("not allowed (no rule grants it): " + access);
            }
        }
        for (PlatformRoles.Grant grant : grants) {
            if (grant.resource().startsWith("nonResourceURL ")) {
                problems.add("needless rule (" + grant.resource() + ": discovery is every user's already): " + grant);
            } else if (grant.wildcard()) {
                problems.add("wildcard rule (name each verb and resource): " + grant);
            } else if (accesses.stream().noneMatch(grant::allows) && !watchAfterList(grant, accesses)) {
                problems.add("unused rule (no recorded request needs it): " + grant);
            }
        }
        return problems;
    }

    /**
     * A watch granted beside a recorded list of the same objects: the client lists, then watches (an
     * informer; fabric8's wait for a pod before it reads the pod's log, even with a wait of 0), and
     * whether the watch is sent before the wait ends is a race, so a test run may record the list alone.
     */
    private static boolean watchAfterList(PlatformRoles.Grant grant, Collection<ApiAccess> accesses) {
        return grant.verb().equals("watch") && accesses.stream().anyMatch(access -> access.verb().equals("list")
                && new PlatformRoles.Grant("list", grant.apiGroup(), grant.resource(), grant.namespace(),
                grant.resourceNames(), grant.source()).allows(access));
    }

    /** The release the modules' checks render the chart as; its namespace is where routing's tests keep claims. */
    public static final String RELEASE = "slipway";
    public static final String RELEASE_NAMESPACE = "slipway-system";

    /**
     * The check of {@code service} in its module's integration test (after the module's tests, whose
     * recordings are in {@link RequestRecorder#directory()}), against the chart that failsafe names in
     * {@code slipway.platform.chart} (by default {@code ../deploy/k8s/charts/slipway}).
     */
    public static void assertModuleFits(String service, String module) {
        // failsafe names it; from an IDE, the module sits beside deploy/ as in the repository
        String chart = System.getProperty("slipway.platform.chart", Path.of(System.getProperty("basedir",
                System.getProperty("user.dir"))).resolve("../deploy/k8s/charts/slipway").normalize().toString());
        assertFits(service, Path.of(chart), RELEASE, RELEASE_NAMESPACE, RequestRecorder.directory(),
                "./mvnw -o -B -pl " + module + " -am verify");
    }

    /**
     * The check of one service against its recordings, for a module's integration test: the chart at
     * {@code chart} rendered as release {@code release} in {@code namespace}; {@code service}'s ServiceAccount
     * is {@code <release>-<service>}. Skipped when only part of the module's tests ran
     * ({@code -Dtest=...}, passed as {@code slipway.tests.selected}): their recordings are part of the picture.
     */
    public static void assertFits(String service, Path chart, String release, String namespace, Path recordings,
                                  String rerun) {
        String selected = System.getProperty("slipway.tests.selected", "");
        Assumptions.assumeTrue(selected.isBlank() || selected.startsWith("${"),
                "only some tests ran (-Dtest=" + selected + "): the RBAC check needs the whole suite's requests");
        Set<ApiAccess> accesses = RequestRecorder.read(recordings).get(service);
        if (accesses == null || accesses.isEmpty()) {
            throw new AssertionError("no recorded Kubernetes API requests of " + service + " in " + recordings
                    + (Files.isDirectory(recordings) ? "" : " (no such directory)")
                    + ": the module's tests record them; run them first: " + rerun);
        }
        PlatformRoles roles = PlatformRoles.render(chart, release, namespace);
        String account = release + "-" + service;
        if (roles.serviceAccount(namespace, account).isEmpty()) {
            throw new AssertionError("the chart " + chart + " has no ServiceAccount " + account);
        }
        List<String> problems = problems(roles.grantsOf(namespace, account), accesses);
        if (!problems.isEmpty()) {
            throw new AssertionError("the RBAC of ServiceAccount " + account + " (" + chart.resolve("templates/rbac.yaml")
                    + ") does not fit what " + service + " asked of the API in its tests (" + recordings + "):\n  "
                    + String.join("\n  ", problems));
        }
    }
}
