package dev.cutover.dns.pgbouncer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One PgBouncer: where its admin console listens, and the file holding its {@code [databases]} entries (the main
 * ini, or a file it {@code %include}s), which the switch rewrites before {@code RELOAD}: PgBouncer has no command
 * that changes a database entry, it only rereads its files.
 */
public record PgBouncerInstance(ServerAddress admin, Path databasesFile) {

    public PgBouncerInstance {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(databasesFile, "databasesFile");
    }

    @Override
    public String toString() {
        return "PgBouncer " + admin;
    }
}
