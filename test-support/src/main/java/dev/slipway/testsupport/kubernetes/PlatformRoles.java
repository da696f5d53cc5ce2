package dev.slipway.testsupport.kubernetes;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The RBAC objects of a rendered chart, read the way Kubernetes' RBAC authorizer reads them: what a
 * ServiceAccount may do is the rules of the Roles and ClusterRoles bound to it; a RoleBinding grants
 * them in its own namespace only, a ClusterRoleBinding everywhere.
 */
public final class PlatformRoles {

    /** A bcrypt hash (of "correct horse"), as an operator gives the chart one. */
    public static final String ADMIN_HASH = "$2y$10$Ls8OW2Lq5hThBfmnGkBaMeVsqpz6mbx7LNpxOw5rxThZhcZv3IHNu";

    /**
     * What the chart requires of every render and has no default for (keys, an admin, S3 credentials);
     * given here so that no {@code lookup} asks an API server. RBAC does not depend on them.
     */
    private static final java.util.Map<String, String> RENDER_INPUTS = java.util.Map.of(
            "keys.tokenKey", "t".repeat(40), "keys.secretsKey", "s".repeat(40),
            "auth.admin.username", "admin",
            "auth.admin.passwordHash", PlatformRoles.ADMIN_HASH,
            "s3.accessKey", "slipway", "s3.secretKey", "s3-secret-for-rendering");

    private final List<HasMetadata> objects;

    private PlatformRoles(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /** {@code helm template} of {@code chart} as release {@code release} in {@code namespace}. */
    public static PlatformRoles render(Path chart, String release, String namespace) {
        return render(chart, release, namespace, java.util.Map.of());
    }

    /** The same with values set as {@code helm template --set key=value} does. */
    public static PlatformRoles render(Path chart, String release, String namespace,
                                       java.util.Map<String, String> values) {
        var template = new Helm(chart).template().withName(release).withNamespace(namespace);
        RENDER_INPUTS.forEach(template::set);
        values.forEach(template::set);
        return read(template.call(), namespace);
    }

    /** The objects of a multi-document manifest; those without a namespace are put in {@code namespace}, as Helm does. */
    public static PlatformRoles read(String manifest, String namespace) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : manifest.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.trim().startsWith("#"))) {
                continue;
            }
            HasMetadata object = Serialization.unmarshal(document);
            if (object.getMetadata().getNamespace() == null && !(object instanceof ClusterRole)
                    && !(object instanceof ClusterRoleBinding)) {
                object.getMetadata().setNamespace(namespace);
            }
            objects.add(object);
        }
        return new PlatformRoles(objects);
    }

    public List<HasMetadata> objects() {
        return objects;
    }

    public Optional<ServiceAccount> serviceAccount(String namespace, String name) {
        return objects.stream().filter(ServiceAccount.class::isInstance).map(ServiceAccount.class::cast)
                .filter(account -> account.getMetadata().getName().equals(name)
                        && account.getMetadata().getNamespace().equals(namespace))
                .findFirst();
    }

    /**
     * One verb on one resource that a binding grants.
     *
     * @param namespace where it applies; "" for everywhere (a ClusterRole through a ClusterRoleBinding)
     * @param resourceNames the only objects it applies to, or empty for all
     * @param source the role and binding that grant it, for messages
     */
    public record Grant(String verb, String apiGroup, String resource, String namespace, Set<String> resourceNames,
                        String source) {

        public boolean allows(ApiAccess access) {
            return access.isResource() && matches(verb, access.verb()) && matches(apiGroup, access.apiGroup())
                    && (matches(resource, access.resource()) || resource.endsWith("/*")
                    && access.resource().startsWith(resource.substring(0, resource.length() - 1)))
                    && (namespace.isEmpty() || namespace.equals(access.namespace()))
                    && (resourceNames.isEmpty() || resourceNames.contains(access.name()));
        }

        /** As the authorizer matches: a wildcard allows anything (and {@link RbacCheck} refuses it). */
        private static boolean matches(String granted, String asked) {
            return granted.equals("*") || granted.equals(asked);
        }

        public boolean wildcard() {
            return verb.equals("*") || apiGroup.equals("*") || resource.equals("*") || resource.endsWith("/*");
        }

        @Override
        public String toString() {
            return verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource
                    + (resourceNames.isEmpty() ? "" : " " + resourceNames)
                    + (namespace.isEmpty() ? " (cluster-wide)" : " in " + namespace) + " from " + source;
        }
    }

    /** Everything the ServiceAccount {@code namespace/name} is granted, one verb and resource at a time. */
    public List<Grant> grantsOf(String namespace, String name) {
        List<Grant> grants = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof RoleBinding binding && names(binding.getSubjects(), namespace, name)) {
                String where = binding.getMetadata().getNamespace();
                rules(binding.getRoleRef(), where).forEach(rule -> add(grants, rule, where,
                        binding.getRoleRef().getKind() + " " + binding.getRoleRef().getName() + " bound by RoleBinding "
                                + where + "/" + binding.getMetadata().getName()));
            } else if (object instanceof ClusterRoleBinding binding && names(binding.getSubjects(), namespace, name)) {
                rules(binding.getRoleRef(), null).forEach(rule -> add(grants, rule, "",
                        "ClusterRole " + binding.getRoleRef().getName() + " bound by ClusterRoleBinding "
                                + binding.getMetadata().getName()));
            }
        }
        return grants;
    }

    private static boolean names(List<Subject> subjects, String namespace, String name) {
        return subjects != null && subjects.stream().anyMatch(subject -> "ServiceAccount".equals(subject.getKind())
                && name.equals(subject.getName()) && namespace.equals(subject.getNamespace()));
    }

    /** The rules {@code ref} points to: a Role of {@code namespace}, or a ClusterRole. */
    private List<PolicyRule> rules(RoleRef ref, String namespace) {
        for (HasMetadata object : objects) {
            boolean named = object.getMetadata().getName().equals(ref.getName());
            if (named && "Role".equals(ref.getKind()) && object instanceof Role role
                    && Objects.equals(role.getMetadata().getNamespace(), namespace)) {
                return role.getRules() == null ? List.of() : role.getRules();
            }
            if (named && "ClusterRole".equals(ref.getKind()) && object instanceof ClusterRole role) {
                return role.getRules() == null ? List.of() : role.getRules();
            }
        }
        throw new IllegalStateException(ref.getKind() + " " + ref.getName() + " is bound but not in the chart"
                + (namespace == null ? "" : " (in namespace " + namespace + ")"));
    }

    private static void add(List<Grant> grants, PolicyRule rule, String namespace, String source) {
        if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
            rule.getNonResourceURLs().forEach(url -> grants.add(new Grant("*", "*", "nonResourceURL " + url, namespace,
                    Set.of(), source)));
        }
        Set<String> names = rule.getResourceNames() == null ? Set.of() : Set.copyOf(rule.getResourceNames());
        for (String group : rule.getApiGroups() == null ? List.<String>of() : rule.getApiGroups()) {
            for (String resource : rule.getResources() == null ? List.<String>of() : rule.getResources()) {
                for (String verb : rule.getVerbs()) {
                    grants.add(new Grant(verb, group, resource, namespace, names, source));
                }
            }
        }
    }
}
