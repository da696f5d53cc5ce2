package dev.slipway.testsupport.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker finds a missing rule, an unused rule and a wildcard, and is quiet when rules fit exactly. */
class RbacCheckTest {

    private static final String ROLES = """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: p-staging
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: p-staging
              namespace: builds
            rules:
              - apiGroups: ["batch"]
                resources: ["jobs"]
                verbs: ["get", "create"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: p-staging
              namespace: builds
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: p-staging}
            subjects: [{kind: ServiceAccount, name: p-staging, namespace: platform}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: p-staging-pods
            rules:
              - apiGroups: [""]
                resources: ["pods/log"]
                verbs: ["get"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: p-staging-pods
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: p-staging-pods}
            subjects: [{kind: ServiceAccount, name: p-staging, namespace: platform}]
            """;

    private static final ApiAccess GET_JOB = ApiAccess.of("GET", "/apis/batch/v1/namespaces/builds/jobs/j", "");
    private static final ApiAccess CREATE_JOB = ApiAccess.of("POST", "/apis/batch/v1/namespaces/builds/jobs", "");
    private static final ApiAccess LOG = ApiAccess.of("GET", "/api/v1/namespaces/other/pods/p/log", "");
    private static final ApiAccess DISCOVERY = ApiAccess.of("GET", "/apis/batch/v1", "");

    private final List<PlatformRoles.Grant> grants = PlatformRoles.read(ROLES, "platform").grantsOf("platform",
            "p-staging");

    @Test
    void rulesThatFitTheRequestsExactlyPass() {
        assertThat(RbacCheck.problems(grants, List.of(GET_JOB, CREATE_JOB, LOG, DISCOVERY))).isEmpty();
    }

    @Test
    void aRequestNoRuleAllowsIsMissing() {
        ApiAccess delete = ApiAccess.of("DELETE", "/apis/batch/v1/namespaces/builds/jobs/j", "");
        assertThat(RbacCheck.problems(grants, List.of(GET_JOB, CREATE_JOB, LOG, delete)))
                .containsExactly("not allowed (no rule grants it): delete batch/jobs j in builds");
    }

    @Test
    void aRoleAllowsNothingOutsideItsNamespace() {
        ApiAccess elsewhere = ApiAccess.of("GET", "/apis/batch/v1/namespaces/kube-system/jobs/j", "");
        ApiAccess everywhere = ApiAccess.of("GET", "/apis/batch/v1/jobs", "watch=true");
        assertThat(RbacCheck.problems(grants, List.of(GET_JOB, CREATE_JOB, LOG, elsewhere, everywhere)))
                .containsExactly("not allowed (no rule grants it): get batch/jobs j in kube-system",
                        "not allowed (no rule grants it): watch batch/jobs (cluster-wide)");
    }

    @Test
    void aRuleNoRequestUsesIsUnused() {
        assertThat(RbacCheck.problems(grants, List.of(GET_JOB, LOG)))
                .containsExactly("unused rule (no recorded request needs it): create batch/jobs in builds from Role "
                        + "p-staging bound by RoleBinding builds/p-staging");
    }

    @Test
    void aWatchGrantedBesideARecordedListIsUsedEvenWhenTheRunSentNoWatch() {
        String withPods = ROLES.replace("""
                  - apiGroups: ["batch"]
                    resources: ["jobs"]
                    verbs: ["get", "create"]
                """, """
                  - apiGroups: ["batch"]
                    resources: ["jobs"]
                    verbs: ["get", "create"]
                  - apiGroups: [""]
                    resources: ["pods"]
                    verbs: ["list", "watch"]
                """);
        List<PlatformRoles.Grant> podGrants = PlatformRoles.read(withPods, "platform").grantsOf("platform",
                "p-staging");
        ApiAccess listPods = ApiAccess.of("GET", "/api/v1/namespaces/builds/pods", "fieldSelector=metadata.name%3Dp");
        ApiAccess watchPods = ApiAccess.of("GET", "/api/v1/namespaces/builds/pods", "watch=true");

        // a client lists, then watches; whether a run records the watch is a race
        assertThat(RbacCheck.problems(podGrants, List.of(GET_JOB, CREATE_JOB, LOG, listPods))).isEmpty();
        assertThat(RbacCheck.problems(podGrants, List.of(GET_JOB, CREATE_JOB, LOG, listPods, watchPods))).isEmpty();
        // without the list, the watch grant is unused as any other
        assertThat(RbacCheck.problems(podGrants, List.of(GET_JOB, CREATE_JOB, LOG))).containsExactlyInAnyOrder(
                "unused rule (no recorded request needs it): list pods in builds from Role p-staging bound by "
                        + "RoleBinding builds/p-staging",
                "unused rule (no recorded request needs it): watch pods in builds from Role p-staging bound by "
                        + "RoleBinding builds/p-staging");
    }

    @Test
    void wildcardsAndNonResourceRequestsBeyondDiscoveryAreRefused() {
        String wide = ROLES.replace("verbs: [\"get\", \"create\"]", "verbs: [\"*\"]");
        List<PlatformRoles.Grant> wildcard = PlatformRoles.read(wide, "platform").grantsOf("platform", "p-staging");
        assertThat(RbacCheck.problems(wildcard, List.of(GET_JOB, CREATE_JOB, LOG, ApiAccess.of("GET", "/metrics", ""))))
                .containsExactly("not allowed (a non-resource request beyond discovery): get /metrics",
                        "wildcard rule (name each verb and resource): * batch/jobs in builds from Role p-staging "
                                + "bound by RoleBinding builds/p-staging");
    }

    @Test
    void anotherAccountGetsNothingOfThese() {
        assertThat(PlatformRoles.read(ROLES, "platform").grantsOf("platform", "p-upload")).isEmpty();
        assertThat(PlatformRoles.read(ROLES, "platform").grantsOf("elsewhere", "p-staging")).isEmpty();
    }
}
