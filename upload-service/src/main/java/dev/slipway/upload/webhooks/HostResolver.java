package dev.slipway.upload.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a webhook target's host name into addresses. Each delivery attempt asks once, checks every
 * address it gets, and connects only to those, so a name that answers differently the next time
 * (DNS rebinding) cannot slip an unchecked address in between.
 */
@FunctionalInterface
public interface HostResolver {

    /** The system's resolver. */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    List<InetAddress> resolve(String host) throws UnknownHostException;
}
