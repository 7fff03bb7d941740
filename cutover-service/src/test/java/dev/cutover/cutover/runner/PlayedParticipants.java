package dev.cutover.cutover.runner;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;

import dev.cutover.events.LagReported;
import dev.cutover.events.Metadata;
import dev.cutover.platform.KafkaProbe;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;

/** What the saga tests share: the participants they play, a database's settings, and a look at a role. */
public final class PlayedParticipants {

    private PlayedParticipants() {
    }

    /** Metadata of an answer to {@code command}, as a participant writes it. */
    static Metadata answer(SpecificRecord command) {
        Metadata cause = MessagePublisher.metadataOf(command);
        return Metadata.newBuilder(KafkaProbe.metadata(cause.getDatabase(), cause.getCutoverId(), null))
                .setCausationId(cause.getMessageId().toString())
                .build();
    }

    /** A fresh report of replication streaming with no lag, as lag-monitor sends it. */
    static LagReported lag(String database) {
        return LagReported.newBuilder().setMetadata(KafkaProbe.metadata(database, null, null))
                .setEngine("NATIVE").setState("STREAMING").setSlotLagBytes(0L).setHeartbeatLagMs(5L).build();
    }

    /** {@code cutover.databases.<database>}: both servers of the stack, as their superuser, and the app roles. */
    public static void database(Map<String, Object> properties, LocalStack stack, String database, String appRoles) {
        for (String side : List.of("source", "target")) {
            Postgres server = side.equals("source") ? stack.source() : stack.target();
            String prefix = "cutover.databases." + database + "." + side + ".";
            properties.put(prefix + "host", server.host());
            properties.put(prefix + "port", server.port());
            properties.put(prefix + "database", database);
            properties.put(prefix + "user", server.superuser());
            properties.put(prefix + "password", server.password());
        }
        properties.put("cutover.databases." + database + ".app-roles", appRoles);
    }

    static boolean canLogIn(Postgres server, String role) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select rolcanlogin from pg_roles where rolname = '" + role + "'")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
