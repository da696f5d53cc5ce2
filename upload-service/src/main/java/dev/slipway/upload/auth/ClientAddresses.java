package dev.slipway.upload.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The address a request came from, as far as it can be known. {@code X-Forwarded-For} is written by
 * whoever sends the request, so it is believed only when the connection comes from a configured
 * proxy, and then only as far back as the chain of configured proxies reaches: the first address
 * (from the right) that is not one of them is the client. Anything else is the connection's address.
 */
final class ClientAddresses {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    /** Where the resolved address is kept for the rest of the request. */
    static final String ATTRIBUTE = ClientAddresses.class.getName();

    // an IP literal only: IpAddressMatcher must never be handed a name to look up
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]{7,15}|(?=.*:)[0-9a-fA-F:.]{2,45}");

    private final List<IpAddressMatcher> trusted;

    ClientAddresses(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(String::trim).filter(entry -> !entry.isEmpty())
                .map(ClientAddresses::matcher).toList();
    }

    String of(HttpServletRequest request) {
        Object known = request.getAttribute(ATTRIBUTE);
        if (known instanceof String address) {
            return address;
        }
        String address = resolve(request);
        request.setAttribute(ATTRIBUTE, address);
        return address;
    }

    private String resolve(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new java.util.ArrayList<>();
        for (String header : Collections.list(request.getHeaders(FORWARDED_FOR))) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!IP_LITERAL.matcher(hop).matches()) {
                // a proxy we trust passed on something that is not an address: stop at the last one we can vouch for
                return client;
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    private boolean isTrusted(String address) {
        if (trusted.isEmpty() || address == null || !IP_LITERAL.matcher(address).matches()) {
            return false;
        }
        try {
            return trusted.stream().anyMatch(matcher -> matcher.matches(address));
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
    }

    private static IpAddressMatcher matcher(String entry) {
        try {
            return new IpAddressMatcher(entry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("slipway.auth.trusted-proxies: '" + entry
                    + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8)", e);
        }
    }
}
