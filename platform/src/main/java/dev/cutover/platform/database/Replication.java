package dev.cutover.platform.database;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The native logical replication that carries a database's changes, under
 * {@code cutover.databases.<name>.replication}: the publication and slot on the source and the subscription on the
 * target. By default the migration creates them with the names {@link #managed} gives; {@code adopted} says someone
 * else created them (the team's own replication), and then their names must be given.
 *
 * @param publication  the publication on the source; unset: {@code cutover_pub_<name>}
 * @param slot         the logical replication slot on the source; unset: {@code cutover_slot_<name>}, or for an
 *                     adopted subscription the subscription's name (PostgreSQL's own default)
 * @param subscription the subscription on the target; unset: {@code cutover_sub_<name>}
 * @param adopted      whether the replication was created by someone else: the CUTOVER preflight then adds
 *                     cutover's canary and heartbeat tables to its publication
 */
public record Replication(String publication, String slot, String subscription, boolean adopted) {

    private static final int MAX_IDENTIFIER = 63;
    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]+");

    public Replication {
        publication = blankToNull(publication);
        slot = blankToNull(slot);
        subscription = blankToNull(subscription);
        for (String[] name : new String[][] {{"publication", publication}, {"slot", slot}, {"subscription", subscription}}) {
            if (name[1] != null && name[1].length() > MAX_IDENTIFIER) {
                throw new IllegalArgumentException("replication." + name[0] + " '" + name[1] + "' is longer than "
                        + MAX_IDENTIFIER + " characters, which PostgreSQL would truncate: give the name as the"
                        + " server shows it");
            }
        }
        if (slot != null && !SLOT.matcher(slot).matches()) {
            throw new IllegalArgumentException("replication.slot '" + slot + "' is not a slot name: PostgreSQL allows"
                    + " only lower-case letters, digits and underscores (see pg_replication_slots.slot_name)");
        }
    }

    /** Nothing configured: the migration creates and names everything. */
    public static Replication unset() {
        return new Replication(null, null, null, false);
    }

    /** The names the migration gives the objects it creates for {@code database}; derived from the name alone. */
    public static Replication managed(String database) {
        String stem = stem(database);
        return new Replication(name("cutover_pub_", stem), name("cutover_slot_", stem), name("cutover_sub_", stem), false);
    }

    /**
     * The names of the reverse replication that a fallback after the cutover uses, for {@code database}: the
     * publication and the slot live on the <em>target</em> and the subscription on the <em>source</em>, the other way
     * round from the forward objects. They are never adopted.
     */
    public static Replication reverse(String database) {
        String stem = stem(database);
        return new Replication(name("cutover_rev_pub_", stem), name("cutover_rev_slot_", stem),
                name("cutover_rev_sub_", stem), false);
    }

    /**
     * Every name filled in for the database configured as {@code database}.
     *
     * @throws IllegalArgumentException when adopted replication does not name its subscription and publication,
     *                                  which cannot be guessed
     */
    public Replication resolve(String database) {
        if (adopted) {
            if (subscription == null || publication == null) {
                throw new IllegalArgumentException("cutover.databases." + database + ".replication.adopted is true,"
                        + " so set .replication.subscription (pg_subscription.subname on the target) and"
                        + " .replication.publication (the publication it subscribes to on the source); .replication.slot"
                        + " too if it is not named after the subscription");
            }
            return new Replication(publication, slot != null ? slot : subscription, subscription, true);
        }
        Replication managed = managed(database);
        return new Replication(publication != null ? publication : managed.publication(),
                slot != null ? slot : managed.slot(), subscription != null ? subscription : managed.subscription(), false);
    }

    /** "subscription s (slot l, publication p, adopted)", for messages. */
    public String describe() {
        return "subscription " + subscription + " (slot " + slot + ", publication " + publication
                + (adopted ? ", adopted" : "") + ")";
    }

    private static String stem(String database) {
        String stem = database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (stem.isEmpty()) {
            throw new IllegalArgumentException("a database name is needed to name its replication objects");
        }
        return stem;
    }

    private static String name(String prefix, String stem) {
        String name = prefix + stem;
        if (name.length() <= MAX_IDENTIFIER) {
            return name;
        }
        // Keep long names distinct: truncate and append a hash of what was cut.
        String hash = Integer.toHexString(stem.hashCode());
        return name.substring(0, MAX_IDENTIFIER - hash.length() - 1) + "_" + hash;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
