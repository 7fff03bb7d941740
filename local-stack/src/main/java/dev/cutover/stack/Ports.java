package dev.cutover.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

import org.slf4j.LoggerFactory;

/** Free ports on loopback addresses. A free port can be taken before the server binds it, so servers check again. */
final class Ports {

    private static final int ATTEMPTS = 50;

    private Ports() {
    }

    /** A TCP port free on every one of the hosts. */
    /**
     * Launches a server on {@code requested}, or, when that is 0, on a free port, and on another free port if
     * the first was taken between being picked and being bound (another process may grab it meanwhile).
     */
    static void launchOnFreePort(int requested, IntSupplier freePort, IntConsumer launch, String retrying) {
        boolean random = requested == 0;
        int attempts = random ? 5 : 1;
        for (int attempt = 1; ; attempt++) {
            int candidate = random ? freePort.getAsInt() : requested;
            try {
                launch.accept(candidate);
                return;
            } catch (PortTakenException e) {
                if (attempt >= attempts) {
                    throw e;
                }
                LoggerFactory.getLogger(Ports.class).info(retrying, candidate);
            }
        }
    }

    static int freeTcpPort(String... hosts) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ephemeralPort(hosts[0]);
            if (allFree(port, false, hosts)) {
                return port;
            }
        }
        throw new StackException("found no TCP port free on all of " + String.join(", ", hosts) + " in " + ATTEMPTS + " attempts");
    }

    /** A port free for both TCP and UDP on the host, as a DNS server needs. */
    static int freeTcpAndUdpPort(String host) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ephemeralPort(host);
            if (allFree(port, true, host)) {
                return port;
            }
        }
        throw new StackException("found no port free for both TCP and UDP on " + host + " in " + ATTEMPTS + " attempts");
    }

    static boolean tcpFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address(host), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    static boolean udpFree(String host, int port) {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.bind(new InetSocketAddress(address(host), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static boolean allFree(int port, boolean udpToo, String... hosts) {
        for (String host : hosts) {
            if (!tcpFree(host, port) || (udpToo && !udpFree(host, port))) {
                return false;
            }
        }
        return true;
    }

    private static int ephemeralPort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, address(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("cannot open any port on " + host + ": is it an address of this machine? "
                    + "(every address in 127.0.0.0/8 is loopback on Linux)", e);
        }
    }

    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + host, e);
        }
    }
}
