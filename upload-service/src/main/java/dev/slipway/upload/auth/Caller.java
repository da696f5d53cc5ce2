package dev.slipway.upload.auth;

import java.util.Set;

/** Who is calling, and where they may act: admins everywhere, others in their namespaces only. */
public record Caller(String username, boolean admin, Set<String> namespaces, Set<String> adminNamespaces) {

    public Caller {
        namespaces = Set.copyOf(namespaces);
        adminNamespaces = Set.copyOf(adminNamespaces);
    }

    public boolean canAccess(String namespace) {
        return admin || namespaces.contains(namespace) || adminNamespaces.contains(namespace);
    }
}
