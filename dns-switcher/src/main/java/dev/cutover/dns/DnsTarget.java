package dev.cutover.dns;

import java.util.regex.Pattern;

/** Where a DNS name points: an IPv4 address (an A record) or another host name (a CNAME record). */
public sealed interface DnsTarget {

    RecordType type();

    /** The record data as DNS writes it: {@code 127.0.0.2} or {@code db-new.cutover.test.}. */
    String value();

    /** Reads an IPv4 address as {@link Ipv4}, anything else as a {@link Hostname}. */
    static DnsTarget parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a DNS target is required: an IPv4 address or a host name");
        }
        String trimmed = text.strip();
        return Ipv4.SHAPE.matcher(trimmed).matches() ? new Ipv4(trimmed) : new Hostname(DnsRecordName.of(trimmed));
    }

    /** An IPv4 address in dotted-quad form, without leading zeros so that equal addresses are equal strings. */
    record Ipv4(String address) implements DnsTarget {

        private static final Pattern SHAPE = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

        public Ipv4 {
            if (address == null || !SHAPE.matcher(address).matches()) {
                throw new IllegalArgumentException("'" + address + "' is not an IPv4 address like 127.0.0.2");
            }
            StringBuilder canonical = new StringBuilder();
            for (String octet : address.split("\\.")) {
                int number = Integer.parseInt(octet);
                if (number > 255) {
                    throw new IllegalArgumentException("'" + address + "' is not an IPv4 address: " + octet + " > 255");
                }
                canonical.append(canonical.isEmpty() ? "" : ".").append(number);
            }
            address = canonical.toString();
        }

        @Override
        public RecordType type() {
            return RecordType.A;
        }

        @Override
        public String value() {
            return address;
        }

        @Override
        public String toString() {
            return address;
        }
    }

    /** Another host name; the database name becomes a CNAME of it. */
    record Hostname(DnsRecordName name) implements DnsTarget {

        public Hostname {
            if (name == null) {
                throw new IllegalArgumentException("a CNAME target host name is required");
            }
        }

        @Override
        public RecordType type() {
            return RecordType.CNAME;
        }

        @Override
        public String value() {
            return name.value();
        }

        @Override
        public String toString() {
            return name.value();
        }
    }
}
