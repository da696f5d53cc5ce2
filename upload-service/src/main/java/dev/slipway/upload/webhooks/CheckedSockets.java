package dev.slipway.upload.webhooks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Sockets that refuse to connect to an address the {@link AddressPolicy} refuses: the last check,
 * on the very address connected, whatever path the HTTP client took to it (an IP literal in the URL
 * skips name resolution altogether).
 */
final class CheckedSockets extends SocketFactory {

    private final AddressPolicy policy;

    CheckedSockets(AddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                if (!(endpoint instanceof InetSocketAddress inet) || inet.isUnresolved()) {
                    throw new RefusedTarget("not an address: " + endpoint);
                }
                var refused = policy.refusal(inet.getAddress());
                if (refused.isPresent()) {
                    throw new RefusedTarget(refused.get());
                }
                super.connect(endpoint, timeout);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new IOException("webhook sockets connect to checked addresses only");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new IOException("webhook sockets connect to checked addresses only");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }
}
