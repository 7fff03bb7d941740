package dev.cutover.dns.pgbouncer;

import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/** The PgBouncer database entry clients of one cutover database use, and every PgBouncer that serves it. */
public record PgBouncerPool(String database, List<PgBouncerInstance> instances) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");

    public PgBouncerPool {
        if (database == null || !NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("PgBouncer database name '" + database
                    + "' must be letters, digits and underscores: the admin console takes it unquoted");
        }
        instances = List.copyOf(instances);
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("PgBouncer database " + database + " needs at least one instance");
        }
        if (new HashSet<>(instances.stream().map(PgBouncerInstance::admin).toList()).size() != instances.size()) {
            throw new IllegalArgumentException("PgBouncer database " + database + " lists an admin address twice: " + instances);
        }
    }
}
