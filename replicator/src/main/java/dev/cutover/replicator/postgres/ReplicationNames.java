package dev.cutover.replicator.postgres;

import dev.cutover.platform.database.Replication;

/**
 * The publication and slot on the source and the subscription on the target that carry one configured database's
 * changes: the ones the migration creates, named after the database unless configured otherwise, or the ones a team
 * created itself and cutover adopted ({@link Replication}).
 */
public record ReplicationNames(String publication, String slot, String subscription) {

    /** The names the migration gives the objects it creates for {@code database}. */
    public static ReplicationNames forDatabase(String database) {
        return of(Replication.managed(database));
    }

    public static ReplicationNames of(Replication replication) {
        return new ReplicationNames(replication.publication(), replication.slot(), replication.subscription());
    }
}
