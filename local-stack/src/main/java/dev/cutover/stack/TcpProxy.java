package dev.cutover.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of one server that can be {@link #blackHole() black-holed}: it then forwards nothing in
 * either direction and connects nothing new, yet refuses nothing and closes nothing, which is what its clients see when
 * the network drops their packets (as a firewall's DROP rule or a lost route does) rather than refusing them. A
 * connection waits, and only the client's own timeouts end it. {@link #restore()} lets everything held through, in
 * order, as TCP delivers what it retransmitted once a partition heals.
 *
 * <p>It listens on a port the system picks as it binds, so no other process can take that port first.
 */
public final class TcpProxy implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;

    private final ServerSocket listening;
    private final InetSocketAddress upstream;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean holding;
    private volatile boolean closed;

    private TcpProxy(ServerSocket listening, InetSocketAddress upstream) {
        this.listening = listening;
        this.upstream = upstream;
    }

    /** Listens on {@code host} (a free port) and forwards every connection to {@code upstreamHost:upstreamPort}. */
    public static TcpProxy start(String host, String upstreamHost, int upstreamPort) {
        try {
            ServerSocket socket = new ServerSocket(0, 200, InetAddress.getByName(host));
            TcpProxy proxy = new TcpProxy(socket, new InetSocketAddress(upstreamHost, upstreamPort));
            Thread.ofVirtual().name("tcp-proxy-" + socket.getLocalPort()).start(proxy::accept);
            return proxy;
        } catch (IOException e) {
            throw new StackException("could not listen on " + host + " for a proxy to " + upstreamHost + ":" + upstreamPort, e);
        }
    }

    public String host() {
        return listening.getInetAddress().getHostAddress();
    }

    public int port() {
        return listening.getLocalPort();
    }

    /** From now on nothing passes and nothing new connects; nothing is refused or closed either. */
    public void blackHole() {
        synchronized (gate) {
            holding = true;
        }
    }

    /** Lets through what was held and everything after it. */
    public void restore() {
        synchronized (gate) {
            holding = false;
            gate.notifyAll();
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (holding && !closed) {
                gate.wait();
            }
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listening.accept();
                sockets.add(client);
                Thread.ofVirtual().start(() -> connect(client));
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException("the proxy to " + upstream + " stopped accepting", e);
                }
            }
        }
    }

    private void connect(Socket client) {
        try {
            awaitOpen();
            Socket server = new Socket();
            sockets.add(server);
            server.connect(upstream);
            Thread.ofVirtual().start(() -> pump(client, server));
            pump(server, client);
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    /** Copies {@code from} to {@code to} until either side ends, holding each chunk while the proxy is black-holed. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (true) {
                awaitOpen();
                int read = in.read(buffer);
                if (read < 0) {
                    return;
                }
                // A chunk read just before the hole opened is held too.
                awaitOpen();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // One side went away: the other follows below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a socket that is gone already.
        }
    }

    @Override
    public void close() {
        closed = true;
        restore();
        try {
            listening.close();
        } catch (IOException e) {
            // Closing.
        }
        sockets.forEach(this::closeQuietly);
    }

    @Override
    public String toString() {
        return "proxy " + host() + ":" + port() + " -> " + upstream.getHostString() + ":" + upstream.getPort();
    }
}
