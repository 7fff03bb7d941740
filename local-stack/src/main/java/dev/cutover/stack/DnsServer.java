package dev.cutover.stack;

/** An authoritative DNS server for one zone that accepts TSIG-signed dynamic updates (RFC 2136). */
public interface DnsServer {

    String host();

    int port();

    /** The zone's absolute name, e.g. {@code cutover.test.}. */
    String zone();

    /** The absolute name the database clients resolve, e.g. {@code db.cutover.test.}. */
    default String databaseName() {
        return "db." + zone();
    }

    /** Name of the TSIG key allowed to update the zone: {@code cutover-key}. */
    String tsigKeyName();

    /** {@code hmac-sha256}. */
    String tsigAlgorithm();

    /** The TSIG secret, base64. */
    String tsigSecret();
}
