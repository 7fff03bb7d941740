package dev.cutover.sandbox.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Makes the JVM resolve host names with dnsjava, asking one DNS server only, with a short cache.
 *
 * <p>What this relies on (dnsjava 3.6, JDK 18+):
 * <ul>
 *   <li>dnsjava registers {@code org.xbill.DNS.spi.DnsjavaInetAddressResolverProvider} as a
 *       {@code java.net.spi.InetAddressResolverProvider}. The JDK loads the first provider on the class path once, at
 *       the JVM's first host-name lookup, and keeps the resolver it returns for the JVM's life. That provider returns
 *       dnsjava's resolver only if the system property {@code org.dnsjava.spi.enable} is {@code true} at that moment,
 *       otherwise the JDK's built-in one. So the property must be set before anything resolves a name:
 *       {@code -Dorg.dnsjava.spi.enable=true} on the command line is the reliable way, and {@link #install} sets it
 *       too for JVMs that have not resolved anything yet. dnsjava's resolver still hands {@code localhost} and the
 *       machine's own name to the built-in resolver.</li>
 *   <li>dnsjava's lookups use {@link Lookup}'s default resolver, search path and cache. By default the resolver
 *       takes its servers from the first configuration source that has any ({@code dns.server}, then
 *       {@code /etc/resolv.conf}, ...) and the search list from {@code resolv.conf} when {@code dns.search} is unset;
 *       {@link #install} replaces the resolver with one that asks the given server only, empties the search path and
 *       the hosts file, so no other server or file can answer.</li>
 *   <li>dnsjava keeps its own cache of answers for their record TTL, beside the JVM's; {@link #install} turns it
 *       off so that the JVM's cache ({@code networkaddress.cache.ttl}) is the only one and means what it says.</li>
 *   <li>The JVM reads {@code networkaddress.cache.ttl} and {@code networkaddress.cache.negative.ttl} once, at its
 *       first lookup, and never again: a second install with another TTL cannot take effect and is refused.</li>
 * </ul>
 */
public final class JvmDns {

    /** The system property dnsjava's resolver provider checks. */
    public static final String ENABLE_PROPERTY = "org.dnsjava.spi.enable";

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

    private static Duration installedTtl;

    private JvmDns() {
    }

    /**
     * Points the JVM's resolver at {@code server} only and caches answers for {@code cacheTtl} (whole seconds; zero
     * for no cache). Failed lookups are not cached, so a name that briefly fails to resolve is asked again.
     */
    public static synchronized void install(InetSocketAddress server, Duration cacheTtl) {
        if (installedTtl != null && !installedTtl.equals(cacheTtl)) {
            throw new IllegalStateException("the JVM's DNS cache TTL is already " + installedTtl.toSeconds() + " s and the JVM reads it only once: "
                    + "use the same dnsCacheTtl for every client in one JVM, not " + cacheTtl.toSeconds() + " s");
        }
        Security.setProperty("networkaddress.cache.ttl", Long.toString(cacheTtl.toSeconds()));
        Security.setProperty("networkaddress.cache.negative.ttl", "0");
        System.setProperty(ENABLE_PROPERTY, "true");
        System.setProperty("dns.server", server.getHostString() + ":" + server.getPort());
        Lookup.setDefaultResolver(resolver(server));
        Lookup.setDefaultSearchPath(List.of());
        Lookup.setDefaultHostsFileParser(null);
        Cache noCache = new Cache(DClass.IN);
        noCache.setMaxCache(0);
        noCache.setMaxNCache(0);
        Lookup.setDefaultCache(noCache, DClass.IN);
        installedTtl = cacheTtl;
    }

    /**
     * Checks that the JVM resolves {@code name} to what {@code server} answers, which the JDK's own resolver cannot
     * do for a name only that server knows; throws with the fix if it does not.
     */
    public static void verify(String name, InetSocketAddress server) {
        Set<String> fromServer = askDirectly(name, server);
        Set<String> fromJvm;
        try {
            fromJvm = Arrays.stream(InetAddress.getAllByName(name))
                    .filter(address -> address.getAddress().length == 4)
                    .map(InetAddress::getHostAddress)
                    .collect(Collectors.toSet());
        } catch (UnknownHostException e) {
            fromJvm = Set.of();
        }
        if (fromServer.isEmpty()) {
            throw new IllegalStateException("the DNS server " + server + " has no A record for " + name);
        }
        if (!fromJvm.equals(fromServer)) {
            throw new IllegalStateException("the JVM resolves " + name + " to " + fromJvm + " but " + server + " answers " + fromServer
                    + ": the JVM's resolver is not dnsjava. Start the JVM with -D" + ENABLE_PROPERTY + "=true, because the JDK "
                    + "chooses its resolver at the first host-name lookup, before the client could set the property.");
        }
    }

    /**
     * The address {@code server} gives for {@code name} now, asked directly with no cache on the way, as a libpq
     * application's {@code getaddrinfo} does on every connect; whatever the JVM's own cache policy is.
     *
     * @throws IllegalStateException when the server does not answer or has no A record for the name
     */
    public static String resolveNow(String name, InetSocketAddress server) {
        Set<String> addresses = askDirectly(name, server);
        if (addresses.isEmpty()) {
            throw new IllegalStateException("the DNS server " + server + " has no A record for " + name);
        }
        return addresses.iterator().next();
    }

    private static Set<String> askDirectly(String name, InetSocketAddress server) {
        try {
            Name absolute = Name.fromString(name, Name.root);
            Message answer = resolver(server).send(Message.newQuery(Record.newRecord(absolute, Type.A, DClass.IN)));
            return answer.getSection(Section.ANSWER).stream()
                    .filter(ARecord.class::isInstance)
                    .map(record -> ((ARecord) record).getAddress().getHostAddress())
                    .collect(Collectors.toSet());
        } catch (TextParseException e) {
            throw new IllegalArgumentException("'" + name + "' is not a DNS name", e);
        } catch (IOException e) {
            throw new IllegalStateException("the DNS server " + server + " did not answer for " + name + ": " + e.getMessage(), e);
        }
    }

    private static SimpleResolver resolver(InetSocketAddress server) {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(QUERY_TIMEOUT);
        return resolver;
    }
}
