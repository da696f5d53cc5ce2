package dev.slipway.deploy.release;

import com.marcnuri.helm.Release;
import dev.slipway.deploy.pipeline.DeployFailure;
import dev.slipway.events.ReasonCodes;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Which Helm releases are Slipway's. Every release deploy-service makes records, in its own values,
 * {@code slipway.managedBy=slipway} and {@code slipway.app=<namespace>/<app>}: Helm writes that
 * record together with the release, so the mark can never be missing from a release Slipway made,
 * and {@code helm get values} shows it. A release of the app's name without it (a team's own chart,
 * an app of another platform) is never upgraded, rolled back, repaired or uninstalled.
 */
final class ReleaseOwnership {

    static final String KEY = "slipway";
    static final String MANAGED_BY = "slipway";

    private final ReleaseHistory history;

    ReleaseOwnership(ReleaseHistory history) {
        this.history = history;
    }

    /** {@code values} with the mark of {@code namespace/name} added (any mark the values carried replaced). */
    static Map<String, Object> marked(Map<String, Object> values, String namespace, String name) {
        Map<String, Object> marked = new LinkedHashMap<>(values);
        marked.put(KEY, Map.of("managedBy", MANAGED_BY, "app", namespace + "/" + name));
        return marked;
    }

    /** Throws RELEASE_NOT_OWNED unless {@code current}'s latest revision carries this app's mark. */
    void requireOwned(String namespace, String name, Release current) throws DeployFailure {
        JsonNode mark = history.record(namespace, name, Integer.parseInt(current.getRevision()))
                .map(record -> record.path("config").path(KEY)).orElse(null);
        boolean owned = mark != null && MANAGED_BY.equals(mark.path("managedBy").asString(""))
                && (namespace + "/" + name).equals(mark.path("app").asString(""));
        if (!owned) {
            throw new DeployFailure(ReasonCodes.RELEASE_NOT_OWNED, "Helm release " + name + " in namespace "
                    + namespace + " (chart " + current.getChart() + ", revision " + current.getRevision()
                    + ") was not made by Slipway, so Slipway leaves it as it is. Push the app under another "
                    + "name or to another namespace; or, if that release is no longer wanted, its owner removes it "
                    + "(helm uninstall -n " + namespace + " " + name + ") and the push is replayed", false, null);
        }
    }
}
