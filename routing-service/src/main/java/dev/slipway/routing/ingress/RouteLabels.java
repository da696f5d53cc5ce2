package dev.slipway.routing.ingress;

import dev.slipway.events.AppRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** The labels and annotations that tie an Ingress to its app and route, and a host claim to its namespace. */
final class RouteLabels {

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String SLIPWAY = "slipway";
    static final String APP = "slipway.dev/app";
    static final String NAMESPACE = "slipway.dev/namespace";
    static final String ROUTE = "slipway.dev/route";
    /** On a host claim: the host, and its routes with their apps. */
    static final String HOST = "slipway.dev/host";
    static final String ROUTES = "slipway.dev/routes";

    private RouteLabels() {
    }

    static Map<String, String> of(AppRef app) {
        return Map.of(MANAGED_BY, SLIPWAY, APP, app.name(), NAMESPACE, app.namespace());
    }

    /** The owner an object's labels name, or null when it was not made by Slipway. */
    static AppRef owner(Map<String, String> labels) {
        if (labels == null || !SLIPWAY.equals(labels.get(MANAGED_BY)) || labels.get(APP) == null
                || labels.get(NAMESPACE) == null) {
            return null;
        }
        return new AppRef(labels.get(NAMESPACE), labels.get(APP));
    }

    /** A short, stable name part for a route: object names cannot hold '/' and have length limits. */
    static String hash(String route, int hexDigits) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(route.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, hexDigits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
