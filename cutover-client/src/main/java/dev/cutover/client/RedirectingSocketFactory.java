package dev.cutover.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

import javax.net.SocketFactory;

/**
 * PgJDBC's {@code socketFactory} while the route names an address: the driver resolves the configured host name as
 * usual, and the socket connects to the route's address on the same port instead. The driver still knows the host by
 * its configured name, so TLS (SNI and {@code sslmode=verify-full}'s host name check) sees that name, not the address.
 *
 * <p>PgJDBC makes one per connection, passing {@code socketFactoryArg} (the address) to the constructor.
 */
public final class RedirectingSocketFactory extends SocketFactory {

    private final String address;

    public RedirectingSocketFactory(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("RedirectingSocketFactory needs an address in socketFactoryArg");
        }
        this.address = address;
    }

    @Override
    public Socket createSocket() {
        return new RedirectedSocket(address);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(port, new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(port, new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(int port) throws IOException {
        return connected(port, null);
    }

    /** Whatever host the caller named, the socket goes to the address on {@code port}; {@code local} may be null. */
    private Socket connected(int port, SocketAddress local) throws IOException {
        Socket socket = createSocket();
        if (local != null) {
            socket.bind(local);
        }
        socket.connect(InetSocketAddress.createUnresolved(address, port));
        return socket;
    }

    private static final class RedirectedSocket extends Socket {

        private final String address;

        RedirectedSocket(String address) {
            this.address = address;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            int port = ((InetSocketAddress) endpoint).getPort();
            super.connect(new InetSocketAddress(InetAddress.getByName(address), port), timeout);
        }
    }
}
