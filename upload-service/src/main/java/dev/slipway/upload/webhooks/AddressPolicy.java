package dev.slipway.upload.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a webhook may connect to: global unicast only. A subscriber could otherwise make
 * the service call what only it can reach (its own ports, the cluster's private network, a cloud's
 * metadata endpoint). IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are
 * judged by the IPv4 address they carry. An operator may allow ranges ({@code slipway.webhooks.allowed-ranges}),
 * e.g. an internal network that hooks are meant to reach.
 */
final class AddressPolicy {

    private record Refused(Cidr range, String what) {
        Refused(String range, String what) {
            this(Cidr.parse(range), what);
        }
    }

    private static final List<Refused> IPV4 = List.of(
            new Refused("0.0.0.0/8", "an unspecified (this network) address"),
            new Refused("10.0.0.0/8", "a private address"),
            new Refused("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
            new Refused("127.0.0.0/8", "a loopback address"),
            new Refused("169.254.0.0/16", "a link-local address (where cloud metadata lives)"),
            new Refused("172.16.0.0/12", "a private address"),
            new Refused("192.0.0.0/24", "an IETF protocol address"),
            new Refused("192.0.2.0/24", "a documentation address"),
            new Refused("192.88.99.0/24", "a 6to4 relay address"),
            new Refused("192.168.0.0/16", "a private address"),
            new Refused("198.18.0.0/15", "a benchmarking address"),
            new Refused("198.51.100.0/24", "a documentation address"),
            new Refused("203.0.113.0/24", "a documentation address"),
            new Refused("224.0.0.0/4", "a multicast address"),
            new Refused("240.0.0.0/4", "a reserved or broadcast address"),
            // a public address that answers like a metadata endpoint inside Azure
            new Refused("168.63.129.16/32", "a cloud metadata address"));

    private static final List<Refused> IPV6 = List.of(
            new Refused("::/128", "the unspecified address"),
            new Refused("::1/128", "a loopback address"),
            new Refused("64:ff9b:1::/48", "a local-use NAT64 address"),
            new Refused("100::/64", "a discard-only address"),
            new Refused("2001::/23", "an IETF protocol address (Teredo among them)"),
            new Refused("2001:db8::/32", "a documentation address"),
            new Refused("3fff::/20", "a documentation address"),
            new Refused("fc00::/7", "a unique local (private) address, where cloud metadata may live"),
            new Refused("fe80::/10", "a link-local address"),
            new Refused("fec0::/10", "a site-local address"),
            new Refused("ff00::/8", "a multicast address"));

    private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3");
    private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96");
    private static final Cidr COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private final List<Cidr> allowed;

    AddressPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Why a webhook may not connect to {@code address}, or empty when it may. */
    Optional<String> refusal(InetAddress address) {
        for (Cidr range : allowed) {
            if (range.contains(address)) {
                return Optional.empty();
            }
        }
        String why = why(address.getAddress());
        return why == null ? Optional.empty() : Optional.of(address.getHostAddress() + " is " + why
                + "; webhooks go to global unicast addresses only (an operator may allow ranges in "
                + "slipway.webhooks.allowed-ranges)");
    }

    private static String why(byte[] address) {
        if (address.length == 4) {
            for (Refused refused : IPV4) {
                if (refused.range().contains(address)) {
                    return refused.what() + " (" + refused.range() + ")";
                }
            }
            return null;
        }
        for (Cidr carrier : List.of(MAPPED, NAT64)) {
            if (carrier.contains(address)) {
                return carried(address, 12, carrier);
            }
        }
        for (Refused refused : IPV6) {
            if (refused.range().contains(address)) {
                return refused.what() + " (" + refused.range() + ")";
            }
        }
        if (COMPATIBLE.contains(address)) {
            String carried = carried(address, 12, COMPATIBLE);
            return carried != null ? carried : "a deprecated IPv4-compatible address (::/96)";
        }
        if (SIX_TO_FOUR.contains(address)) {
            return carried(address, 2, SIX_TO_FOUR);
        }
        return GLOBAL_UNICAST_V6.contains(address) ? null : "outside global unicast (2000::/3)";
    }

    /** An IPv6 form of an IPv4 address is as good as the IPv4 address it carries. */
    private static String carried(byte[] address, int from, Cidr form) {
        byte[] ipv4 = Arrays.copyOfRange(address, from, from + 4);
        String why = why(ipv4);
        if (why == null) {
            return null;
        }
        try {
            return "an IPv6 form (" + form + ") of " + InetAddress.getByAddress(ipv4).getHostAddress() + ", " + why;
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
