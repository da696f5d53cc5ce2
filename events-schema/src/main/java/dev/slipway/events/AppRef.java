package dev.slipway.events;

/** An app by namespace and name; both are DNS-1123 labels because they end up in Kubernetes names. */
public record AppRef(String namespace, String name) {

    public AppRef {
        Names.requireDnsLabel("namespace", namespace);
        Names.requireDnsLabel("app name", name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
