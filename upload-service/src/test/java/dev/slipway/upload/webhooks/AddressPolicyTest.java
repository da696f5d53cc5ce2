package dev.slipway.upload.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses pass; the refused classes are tried through the API in WebhookWallsApiTest. */
class AddressPolicyTest {

    private final AddressPolicy policy = new AddressPolicy(List.of());

    @Test
    void globalUnicastAddressesPassAndSoDoTheirIpv6Forms() throws UnknownHostException {
        for (String address : List.of("8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700:4700::1111",
                "2a00:1450:4001::200e", "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8")) {
            assertThat(policy.refusal(InetAddress.getByName(address))).as(address).isEmpty();
        }
    }

    @Test
    void addressesJustOutsideRefusedRangesPass() throws UnknownHostException {
        for (String address : List.of("100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
                "169.253.255.255", "11.0.0.0", "192.167.255.255", "223.255.255.255", "2001:200::1")) {
            assertThat(policy.refusal(InetAddress.getByName(address))).as(address).isEmpty();
        }
        assertThat(policy.refusal(InetAddress.getByName("fbff::1"))).get().asString()
                .contains("outside global unicast");
    }

    @Test
    void anOperatorAllowsRangesAndOnlyThose() throws UnknownHostException {
        AddressPolicy allowing = new AddressPolicy(List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("fd12::/16")));
        assertThat(allowing.refusal(InetAddress.getByName("10.20.3.4"))).isEmpty();
        assertThat(allowing.refusal(InetAddress.getByName("fd12::9"))).isEmpty();
        assertThat(allowing.refusal(InetAddress.getByName("10.21.0.1"))).isPresent();
        assertThat(allowing.refusal(InetAddress.getByName("127.0.0.1"))).isPresent();
    }

    @Test
    void rangesThatAreNotRangesAreRefusedAtStart() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> Cidr.parse("intranet.example.com")).hasMessageContaining("not an address range");
    }
}
