package dev.cutover.schema.preflight;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.cutover.schema.pgtools.ClientVersion;
import dev.cutover.schema.roles.MissingRoles;

/**
 * Everything preflight judges, read from the servers and this machine beforehand so that the checks
 * themselves are pure.
 *
 * @param source   the source server and database
 * @param target   the target server and database
 * @param pgDump   the pg_dump this service would run, or empty when there is none (read for MIGRATION only: the
 *                 cutover's preflight does not judge it)
 * @param appRoles the roles the application logs in as
 * @param schemas            what is wrong with the scope, if anything
 * @param missingRoles       roles the schema names that the target lacks (read for MIGRATION only)
 * @param createMissingRoles whether pre-data creates them
 */
record Facts(Source source, Target target, Optional<ClientVersion> pgDump, List<String> appRoles,
        Schemas schemas, MissingRoles missingRoles, boolean createMissingRoles) {

    Facts {
        appRoles = List.copyOf(appRoles);
    }

    /**
     * @param unknown            schemas the settings list that the source does not have
     * @param strandedExtensions extensions installed in a schema that does not move and that the target lacks, by
     *                           name, with that schema: pre-data creates the extension there
     */
    record Schemas(List<String> unknown, Map<String, String> strandedExtensions) {

        static final Schemas FINE = new Schemas(List.of(), Map.of());

        Schemas {
            unknown = List.copyOf(unknown);
            strandedExtensions = Map.copyOf(strandedExtensions);
        }
    }

    /**
     * @param majorVersion         e.g. 11
     * @param adminUser            the role cutover logs in as
     * @param walLevel             {@code wal_level}
     * @param maxReplicationSlots  {@code max_replication_slots}
     * @param usedReplicationSlots slots that exist
     * @param maxWalSenders        {@code max_wal_senders}
     * @param usedWalSenders       WAL sender processes running
     * @param canReplicate         whether the admin user is superuser, has REPLICATION or is in rds_replication
     * @param tables               every ordinary table (and partition) of the schemas in scope
     * @param largeObjects         how many large objects the database holds
     * @param transactions         every open transaction on the server but preflight's own
     * @param prepared             every prepared transaction on the server
     * @param roles                which of the app roles exist here
     * @param extensions           extensions installed in the database, except plpgsql
     */
    record Source(int majorVersion, String adminUser, String walLevel, int maxReplicationSlots,
            int usedReplicationSlots, int maxWalSenders, int usedWalSenders, boolean canReplicate,
            List<Table> tables, long largeObjects, List<OpenTransaction> transactions,
            List<PreparedTransaction> prepared, Set<String> roles, Set<String> extensions) {

        Source {
            tables = List.copyOf(tables);
            transactions = List.copyOf(transactions);
            prepared = List.copyOf(prepared);
            roles = Set.copyOf(roles);
            extensions = Set.copyOf(extensions);
        }
    }

    /**
     * @param majorVersion        e.g. 17
     * @param database            the target database's name
     * @param roles               which of the app roles exist here
     * @param availableExtensions extensions whose files are installed on the target server
     */
    record Target(int majorVersion, String database, Set<String> roles, Set<String> availableExtensions) {

        Target {
            roles = Set.copyOf(roles);
            availableExtensions = Set.copyOf(availableExtensions);
        }
    }

    /**
     * @param name            qualified and quoted, ready for SQL
     * @param replicaIdentity {@code relreplident}: d(efault), n(othing), f(ull), i(ndex)
     * @param hasPrimaryKey   whether it has a primary key
     * @param unlogged        whether it is UNLOGGED
     */
    record Table(String name, char replicaIdentity, boolean hasPrimaryKey, boolean unlogged) {
    }

    /**
     * @param pid      the backend's process id
     * @param user     who runs it
     * @param database where
     * @param age      how long the transaction has been open
     * @param holdsXid whether it has written (has a transaction id); only those hold back a new slot
     */
    record OpenTransaction(int pid, String user, String database, Duration age, boolean holdsXid) {
    }

    /**
     * @param gid      its global id, as COMMIT PREPARED takes it
     * @param database where it was prepared
     * @param age      how long ago
     */
    record PreparedTransaction(String gid, String database, Duration age) {
    }
}
