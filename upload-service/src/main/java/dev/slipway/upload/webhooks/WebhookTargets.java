package dev.slipway.upload.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which hosts webhooks may be sent to. A subscriber could otherwise make the service call what only
 * it can reach: loopback, link-local addresses and the clouds' metadata endpoints are refused unless
 * the operator names the host in {@code slipway.webhooks.allowed-hosts}. Checked when a subscription
 * is made and again before each delivery (a name may resolve elsewhere later).
 */
final class WebhookTargets {

    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata",
            "169.254.169.254", "fd00:ec2::254", "100.100.100.200");

    private final Set<String> allowedHosts;

    WebhookTargets(Collection<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).collect(
                java.util.stream.Collectors.toSet());
    }

    /** Why {@code url} may not be called, or empty when it may. */
    Optional<String> refusal(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
        if (allowedHosts.contains(host)) {
            return Optional.empty();
        }
        if (METADATA_HOSTS.contains(host)) {
            return Optional.of(host + " is a cloud metadata endpoint");
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
                        || METADATA_HOSTS.contains(address.getHostAddress())) {
                    return Optional.of(host + " resolves to " + address.getHostAddress() + ", a loopback, link-local "
                            + "or metadata address; an operator may allow it in slipway.webhooks.allowed-hosts");
                }
            }
        } catch (UnknownHostException notYet) {
            return Optional.empty();  // nothing to call yet; checked again before each delivery
        }
        return Optional.empty();
    }
}
