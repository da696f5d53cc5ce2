package dev.slipway.upload.limits;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one request or one user may ask of the API ({@code slipway.limits.*}), so that no caller
 * can make the platform run, route, parse or hold more than an operator planned for.
 *
 * @param maxInstances     most instances one app may ask for (422 beyond)
 * @param maxRoutesPerApp  most custom routes one app may have (422 beyond); the default route is extra
 * @param maxJsonBody      largest request body of the JSON endpoints (413 beyond); source uploads
 *                         have their own limit ({@code slipway.store.max-upload-size})
 * @param maxStreamsPerUser event streams one user may hold open at once on one replica (429 beyond)
 * @param streamRetryAfter what a refused stream's {@code Retry-After} says
 */
@ConfigurationProperties("slipway.limits")
public record LimitsProperties(@DefaultValue("10") int maxInstances, @DefaultValue("10") int maxRoutesPerApp,
                               @DefaultValue("64KB") DataSize maxJsonBody, @DefaultValue("8") int maxStreamsPerUser,
                               @DefaultValue("10s") Duration streamRetryAfter) {

    public LimitsProperties {
        if (maxInstances < 0 || maxRoutesPerApp < 0 || maxStreamsPerUser < 0 || maxJsonBody.toBytes() < 0) {
            throw new IllegalArgumentException("slipway.limits.* cannot be negative");
        }
    }

    /** Why {@code requested} instances are refused (0 to {@link #maxInstances}), or null when they are not. */
    public String instancesRefusal(int requested) {
        if (requested < 0) {
            return "instances must be 0 or more";
        }
        if (requested > maxInstances) {
            return "an app may run at most " + maxInstances + " instances (slipway.limits.max-instances), "
                    + requested + " were asked for; ask an operator for more";
        }
        return null;
    }
}
