package dev.slipway.upload.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where webhooks may go: names resolved once through the {@link HostResolver}, every address checked
 * against the {@link AddressPolicy}. Checked when a subscription is made (a refusal is a 422), and
 * on every delivery attempt, whose HTTP client connects only to the addresses checked here
 * ({@link #checkedAddresses}) and checks again the address of each socket it opens ({@link CheckedSockets}).
 */
final class WebhookTargets {

    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog",
            "metadata");

    private final AddressPolicy policy;
    private final HostResolver resolver;

    WebhookTargets(AddressPolicy policy, HostResolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    AddressPolicy policy() {
        return policy;
    }

    /** Why {@code host} may not be called now, or empty when it may. */
    Optional<String> refusal(String host) {
        try {
            checkedAddresses(host);
            return Optional.empty();
        } catch (RefusedTarget refused) {
            return Optional.of(refused.getMessage());
        } catch (UnknownHostException notYet) {
            return Optional.empty();  // nothing to call yet; checked again on each delivery
        }
    }

    /** The host's addresses, all of them allowed; throws {@link RefusedTarget} when any one is not. */
    List<InetAddress> checkedAddresses(String host) throws UnknownHostException {
        String name = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "").replaceAll("\\.$", "");
        if (METADATA_NAMES.contains(name)) {
            throw new RefusedTarget(name + " is a cloud metadata endpoint");
        }
        List<InetAddress> addresses = resolver.resolve(name);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(name + " has no address");
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = policy.refusal(address);
            if (refused.isPresent()) {
                // one bad address refuses the name: which one a client picks is not ours to know
                throw new RefusedTarget(name + " resolves to " + refused.get());
            }
        }
        return addresses;
    }
}
