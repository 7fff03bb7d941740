package dev.cutover.replicator.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.cutover.replicator.postgres.ReplicationNames;
import dev.cutover.replicator.postgres.Slots;

/** The replication names a test's loads used, so that the slots they leave on the source can be dropped after it. */
public final class UsedSlots {

    private final List<ReplicationNames> used = new ArrayList<>();

    public ReplicationNames names(String stem) {
        ReplicationNames names = ReplicationNames.forDatabase(stem);
        used.add(names);
        return names;
    }

    public void dropAll(TestDatabase db) throws SQLException {
        try (Connection source = TestDatabase.endpoint(db.source(), db.name()).connect()) {
            for (ReplicationNames names : used) {
                Slots.drop(source, names.slot(), Duration.ofSeconds(5));
            }
        }
        used.clear();
    }
}
