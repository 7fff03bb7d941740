package dev.cutover.replicator.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Subscriptions on the target: finding one of the current database, and dropping it without reaching the source. */
public final class Subscriptions {

    private Subscriptions() {
    }

    public static boolean exists(Connection target, String name) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT 1 FROM pg_subscription
                WHERE subname = ? AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())""")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * Drops the subscription if it exists, detached from its slot first so that a source that is down cannot block
     * it; the slot on the source is left for {@link Slots#drop}.
     */
    public static Removal drop(Connection target, String name) throws SQLException {
        if (!exists(target, name)) {
            return Removal.NOT_PRESENT;
        }
        String subscription = Sql.identifier(name);
        try (Statement statement = target.createStatement()) {
            statement.execute("ALTER SUBSCRIPTION " + subscription + " DISABLE");
            statement.execute("ALTER SUBSCRIPTION " + subscription + " SET (slot_name = NONE)");
            statement.execute("DROP SUBSCRIPTION " + subscription);
        }
        return Removal.DROPPED;
    }
}
