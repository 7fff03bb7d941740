package dev.cutover.stack;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A UDP forwarder in front of one server (a DNS server) that can be {@link #blackHole() black-holed}: every datagram in
 * either direction is then dropped, so a client's query times out instead of being refused, as when the server's
 * network is gone. Each client gets a socket of its own towards the server, so answers find their way back.
 *
 * <p>It binds a port the system picks, so no other process can take that port first.
 */
public final class UdpProxy implements AutoCloseable {

    private static final int DATAGRAM = 64 * 1024;

    private final DatagramSocket listening;
    private final InetSocketAddress upstream;
    private final Map<SocketAddress, DatagramSocket> towardsServer = new ConcurrentHashMap<>();
    private volatile boolean dropping;
    private volatile boolean closed;

    private UdpProxy(DatagramSocket listening, InetSocketAddress upstream) {
        this.listening = listening;
        this.upstream = upstream;
    }

    /** Listens on {@code host} (a free port) and forwards every datagram to {@code upstreamHost:upstreamPort}. */
    public static UdpProxy start(String host, String upstreamHost, int upstreamPort) {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0));
            UdpProxy proxy = new UdpProxy(socket, new InetSocketAddress(upstreamHost, upstreamPort));
            Thread.ofVirtual().name("udp-proxy-" + socket.getLocalPort()).start(proxy::forward);
            return proxy;
        } catch (IOException e) {
            throw new StackException("could not bind " + host + " for a proxy to " + upstreamHost + ":" + upstreamPort, e);
        }
    }

    public String host() {
        return listening.getLocalAddress().getHostAddress();
    }

    public int port() {
        return listening.getLocalPort();
    }

    /** From now on every datagram is dropped, both ways. */
    public void blackHole() {
        dropping = true;
    }

    /** Datagrams pass again (those dropped meanwhile are gone, as on a network). */
    public void restore() {
        dropping = false;
    }

    private void forward() {
        byte[] buffer = new byte[DATAGRAM];
        while (!closed) {
            try {
                DatagramPacket query = new DatagramPacket(buffer, buffer.length);
                listening.receive(query);
                if (dropping) {
                    continue;
                }
                DatagramSocket out = towardsServer.computeIfAbsent(query.getSocketAddress(), this::answerTo);
                out.send(new DatagramPacket(query.getData(), query.getOffset(), query.getLength(), upstream));
            } catch (IOException e) {
                // A closed socket ends the loop; a datagram that could not be sent is lost, as on a network.
            }
        }
    }

    /** A socket towards the server for one client, with a thread that relays the server's answers back to it. */
    private DatagramSocket answerTo(SocketAddress client) {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(listening.getLocalAddress(), 0));
            Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[DATAGRAM];
                while (!closed) {
                    try {
                        DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                        socket.receive(answer);
                        if (!dropping) {
                            listening.send(new DatagramPacket(answer.getData(), answer.getOffset(), answer.getLength(), client));
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            return socket;
        } catch (IOException e) {
            throw new StackException("could not open a socket towards " + upstream, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        listening.close();
        towardsServer.values().forEach(DatagramSocket::close);
    }

    @Override
    public String toString() {
        return "UDP proxy " + host() + ":" + port() + " -> " + upstream.getHostString() + ":" + upstream.getPort();
    }
}
