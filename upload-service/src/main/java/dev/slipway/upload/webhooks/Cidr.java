package dev.slipway.upload.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range such as {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a range of one. */
record Cidr(byte[] network, int prefix, String text) {

    static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!address.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not an address range such as 10.0.0.0/8 or fc00::/7");
        }
        byte[] network;
        try {
            network = InetAddress.getByName(address).getAddress();  // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address range such as 10.0.0.0/8", e);
        }
        if (address.contains(":") && network.length == 4) {
            // Java reads ::ffff:a.b.c.d as the IPv4 address; the range means the IPv6 form
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(network, 0, mapped, 12, 4);
            network = mapped;
        }
        int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("'" + text + "' has a prefix beyond its address's " + network.length * 8
                    + " bits");
        }
        return new Cidr(network, prefix, trimmed);
    }

    boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (address[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
