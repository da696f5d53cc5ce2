package dev.slipway.upload.runtime;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bounds of reading an app's logs ({@code slipway.logs.*}): an app's output is the app's, so what one
 * request and one user may hold is capped.
 *
 * @param maxLineLength      longest line passed on; longer ones are cut and end with {@code [line cut]}
 * @param tail               lines per instance from before the request (after {@code since}), the rest
 *                           of an instance's history is not read
 * @param maxFollowsPerUser  logs one user may follow at once on one replica (429 beyond)
 * @param maxReadsPerUser    requests without {@code follow} one user may have running at once on one replica
 *                           (429 beyond): each holds threads and readers (processes, connections) until it
 *                           ends, up to {@code readTimeout}; counted apart from follows, so following logs
 *                           never stops a user from reading one
 * @param followTimeout      how long one follow lasts at most; the client may follow again
 * @param readTimeout        how long a request without {@code follow} may take at most
 * @param heartbeat          how often a quiet stream sends a comment line, which finds a client gone
 * @param kubeconfig         on Kubernetes, the kubeconfig to read pods with; empty: the pod's own
 *                           ServiceAccount (in a cluster) or fabric8's defaults
 */
@ConfigurationProperties("slipway.logs")
record LogsProperties(@DefaultValue("4KB") DataSize maxLineLength, @DefaultValue("1000") int tail,
                      @DefaultValue("4") int maxFollowsPerUser, @DefaultValue("4") int maxReadsPerUser,
                      @DefaultValue("1h") Duration followTimeout,
                      @DefaultValue("2m") Duration readTimeout, @DefaultValue("15s") Duration heartbeat,
                      @DefaultValue("") String kubeconfig) {

    LogsProperties {
        if (maxLineLength.toBytes() < 80 || maxLineLength.toBytes() > 1024 * 1024) {
            throw new IllegalArgumentException("slipway.logs.max-line-length must be between 80B and 1MB");
        }
        if (tail < 1 || maxFollowsPerUser < 0 || maxReadsPerUser < 0) {
            throw new IllegalArgumentException("slipway.logs.tail must be 1 or more, max-follows-per-user and "
                    + "max-reads-per-user 0 or more");
        }
    }

    int maxLineBytes() {
        return (int) maxLineLength.toBytes();
    }
}
