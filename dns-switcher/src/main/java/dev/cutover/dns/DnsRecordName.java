package dev.cutover.dns;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A fully qualified DNS name, kept in canonical form: lower case with the trailing dot
 * ({@code db.cutover.test.}), which is how both BIND and Route53 print names back to us, so names
 * read from a server compare equal to names from a command.
 */
public record DnsRecordName(String value) {

    // Letters, digits, hyphen; underscore too, because service labels (_acme-challenge) use it.
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    public DnsRecordName {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a DNS record name is required, e.g. db.cutover.test");
        }
        String canonical = value.strip().toLowerCase(Locale.ROOT);
        if (!canonical.endsWith(".")) {
            canonical = canonical + ".";
        }
        if (canonical.length() > 254) {
            throw new IllegalArgumentException("DNS name '" + value + "' is longer than 253 characters");
        }
        String[] labels = canonical.substring(0, canonical.length() - 1).split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException(
                    "DNS name '" + value + "' is not fully qualified: give the whole name, e.g. db.cutover.test");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("DNS name '" + value + "' has an invalid label '" + label
                        + "': labels are 1-63 letters, digits or hyphens, not starting or ending with a hyphen");
            }
        }
        value = canonical;
    }

    public static DnsRecordName of(String name) {
        return new DnsRecordName(name);
    }

    /** True when this name is the zone itself or lies inside it. */
    public boolean isWithin(DnsRecordName zone) {
        return value.equals(zone.value) || value.endsWith("." + zone.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
