package dev.cutover.schema.preflight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import dev.cutover.schema.pgtools.ClientVersion;

/** The preflight checks: facts in, findings out, no I/O. Findings come in the order the checks are listed. */
final class Preflight {

    private Preflight() {
    }

    /**
     * @param longTransaction a transaction open longer than this is reported
     */
    static List<Finding> check(Facts facts, Scope scope, Duration longTransaction) {
        List<Finding> findings = new ArrayList<>();
        boolean migration = switch (scope) {
            case MIGRATION -> true;
            case CUTOVER -> false;
        };
        if (migration) {
            pgDump(facts.source().majorVersion(), facts.pgDump(), findings);
            targetVersion(facts, findings);
            walLevel(facts.source(), findings);
            replicationHeadroom(facts.source(), findings);
            replicationPrivilege(facts.source(), findings);
            transactions(facts.source(), longTransaction, findings);
            extensions(facts, findings);
            strandedExtensions(facts, findings);
            schemaRoles(facts, findings);
        }
        unknownSchemas(facts, findings);
        replicaIdentity(facts.source(), findings);
        unlogged(facts.source(), findings);
        largeObjects(facts.source(), findings);
        appRoles(facts, findings);
        return findings;
    }

    private static void pgDump(int sourceMajor, Optional<ClientVersion> pgDump, List<Finding> findings) {
        if (pgDump.isEmpty()) {
            findings.add(blocker("pg_dump", "pg_dump", "pg_dump is not installed where this service looks for it",
                    "install the PostgreSQL " + sourceMajor + " client or newer, or set cutover.schema.client-bin"));
        } else if (!pgDump.get().canDump(sourceMajor)) {
            findings.add(blocker("pg_dump", "pg_dump " + pgDump.get().text(), "pg_dump " + pgDump.get().major()
                            + " refuses to dump a PostgreSQL " + sourceMajor + " server",
                    "install the PostgreSQL " + sourceMajor + " client or newer and set cutover.schema.client-bin"));
        }
    }

    private static void targetVersion(Facts facts, List<Finding> findings) {
        int source = facts.source().majorVersion();
        int target = facts.target().majorVersion();
        if (target < source) {
            findings.add(blocker("target_version", "server_version", "the target runs PostgreSQL " + target
                            + ", older than the source's " + source + ": pg_dump's output and logical replication only go forward",
                    "use a target server of PostgreSQL " + source + " or newer"));
        }
    }

    private static void walLevel(Facts.Source source, List<Finding> findings) {
        if (!"logical".equals(source.walLevel())) {
            findings.add(blocker("wal_level", "wal_level", "wal_level is '" + source.walLevel()
                            + "': logical replication needs 'logical'",
                    "ALTER SYSTEM SET wal_level = logical and restart the source (on RDS set "
                            + "rds.logical_replication = 1 in the parameter group and reboot)"));
        }
    }

    private static void replicationHeadroom(Facts.Source source, List<Finding> findings) {
        if (source.usedReplicationSlots() >= source.maxReplicationSlots()) {
            findings.add(blocker("replication_slots", "max_replication_slots", source.usedReplicationSlots() + " of "
                            + source.maxReplicationSlots() + " replication slots are in use; the migration needs one more",
                    "drop an unused slot (pg_drop_replication_slot) or raise max_replication_slots and restart"));
        }
        if (source.usedWalSenders() >= source.maxWalSenders()) {
            findings.add(blocker("wal_senders", "max_wal_senders", source.usedWalSenders() + " of "
                            + source.maxWalSenders() + " WAL senders are running; the migration needs one more",
                    "raise max_wal_senders and restart, or stop a replica or replication client you no longer need"));
        }
    }

    private static void replicationPrivilege(Facts.Source source, List<Finding> findings) {
        if (!source.canReplicate()) {
            findings.add(blocker("replication_privilege", source.adminUser(), source.adminUser()
                            + " may not create replication slots (not superuser, no REPLICATION, not in rds_replication)",
                    "ALTER ROLE " + source.adminUser() + " REPLICATION (on RDS: GRANT rds_replication TO "
                            + source.adminUser() + ")"));
        }
    }

    private static void transactions(Facts.Source source, Duration longTransaction, List<Finding> findings) {
        for (Facts.OpenTransaction transaction : source.transactions()) {
            if (transaction.age().compareTo(longTransaction) <= 0) {
                continue;
            }
            String object = "pid " + transaction.pid() + " (" + transaction.user() + "@" + transaction.database() + ")";
            String age = "open for " + seconds(transaction.age());
            if (transaction.holdsXid()) {
                findings.add(blocker("long_transaction", object, "a writing transaction " + age
                                + ": creating the replication slot waits until it ends",
                        "end it (commit, or SELECT pg_terminate_backend(" + transaction.pid() + ")) before the migration starts"));
            } else {
                findings.add(warning("long_transaction", object, "a read-only transaction " + age
                                + ": it does not block the slot but holds back vacuum on the source",
                        "end it if it is not expected (SELECT pg_terminate_backend(" + transaction.pid() + "))"));
            }
        }
        for (Facts.PreparedTransaction prepared : source.prepared()) {
            findings.add(blocker("prepared_transaction", "'" + prepared.gid() + "' in " + prepared.database(),
                    "a transaction prepared " + seconds(prepared.age()) + " ago is still open: creating the "
                            + "replication slot waits until it is committed or rolled back",
                    "COMMIT PREPARED '" + prepared.gid() + "' or ROLLBACK PREPARED '" + prepared.gid() + "'"));
        }
    }

    private static void extensions(Facts facts, List<Finding> findings) {
        facts.source().extensions().stream().sorted()
                .filter(extension -> !facts.target().availableExtensions().contains(extension))
                .forEach(extension -> findings.add(blocker("extensions", extension, "extension " + extension
                                + " is used on the source but not available on the target (PostgreSQL "
                                + facts.target().majorVersion() + ")",
                        "install its package on the target server, or drop it from the source if it is unused")));
    }

    private static void schemaRoles(Facts facts, List<Finding> findings) {
        if (facts.missingRoles().isEmpty()) {
            return;
        }
        String roles = String.join(", ", facts.missingRoles().roles());
        String sql = facts.missingRoles().sql();
        if (facts.createMissingRoles()) {
            findings.add(warning("schema_roles", roles, "the target lacks " + facts.missingRoles().roles().size()
                            + " role(s) the schema names: " + facts.missingRoles().describe()
                            + "; pre-data creates them (create-missing-roles is on) with: " + sql,
                    "nothing, unless they need a password or attributes beyond NOLOGIN: set those on the target after"
                            + " pre-data"));
            return;
        }
        findings.add(blocker("schema_roles", roles, "the target lacks " + facts.missingRoles().roles().size()
                        + " role(s) the schema names (owners, grants, default privileges, policies): "
                        + facts.missingRoles().describe() + "; pre-data would fail on the first of them",
                "create them on the target: " + sql + " (or set cutover.databases.<name>.create-missing-roles=true and"
                        + " pre-data runs exactly that)"));
    }

    private static void strandedExtensions(Facts facts, List<Finding> findings) {
        new TreeMap<>(facts.schemas().strandedExtensions()).forEach((extension, schema) -> findings.add(blocker(
                "extension_schema", extension, "extension " + extension + " is installed in schema " + schema
                        + ", which does not move and which the target lacks: pre-data would fail creating the extension there",
                "move the schema too (take it out of exclude-schemas, or add it to schemas), or create schema " + schema
                        + " on the target first")));
    }

    private static void unknownSchemas(Facts facts, List<Finding> findings) {
        List<String> unknown = facts.schemas().unknown();
        if (!unknown.isEmpty()) {
            findings.add(blocker("schemas", String.join(", ", unknown), "the schemas "
                            + unknown + " named in cutover.databases.<name>.schemas do not exist on the source",
                    "fix the list, or leave schemas unset to move every schema of the database (exclude-schemas leaves"
                            + " some behind)"));
        }
    }

    private static void replicaIdentity(Facts.Source source, List<Finding> findings) {
        for (Facts.Table table : source.tables()) {
            boolean identified = switch (table.replicaIdentity()) {
                case 'f', 'i' -> true;
                case 'd' -> table.hasPrimaryKey();
                default -> false;
            };
            if (!identified && !table.unlogged()) {
                findings.add(blocker("replica_identity", table.name(), "the table has no primary key and no replica"
                                + " identity: once it is published, UPDATE and DELETE on it fail on the source",
                        "add a primary key, or ALTER TABLE " + table.name() + " REPLICA IDENTITY FULL (each update"
                                + " then logs the whole old row)"));
            }
        }
    }

    /** A blocker, as the full load refuses such a table: its rows on the target would fall behind the source. */
    private static void unlogged(Facts.Source source, List<Finding> findings) {
        source.tables().stream().filter(Facts.Table::unlogged).forEach(table -> findings.add(blocker(
                "unlogged_tables", table.name(), "the table is UNLOGGED: logical replication does not carry it"
                        + " (PostgreSQL refuses to publish it), so its rows on the target would fall behind the source",
                "ALTER TABLE " + table.name() + " SET LOGGED (it rewrites the table into the WAL), or drop it if it holds"
                        + " only data the application can rebuild")));
    }

    private static void largeObjects(Facts.Source source, List<Finding> findings) {
        if (source.largeObjects() > 0) {
            findings.add(blocker("large_objects", "pg_largeobject", "the database holds " + source.largeObjects()
                            + " large object(s): logical replication does not carry them, so they would be lost",
                    "move them into bytea columns before the migration, or drop the ones no longer referenced (vacuumlo)"));
        }
    }

    private static void appRoles(Facts facts, List<Finding> findings) {
        for (String role : facts.appRoles()) {
            if (!facts.source().roles().contains(role)) {
                findings.add(blocker("app_roles", role, "the application role " + role + " does not exist on the source",
                        "fix cutover.databases.<name>.app-roles or create the role on the source"));
            }
            boolean created = facts.createMissingRoles() && facts.missingRoles().roles().contains(role);
            if (!facts.target().roles().contains(role) && !created) {
                findings.add(blocker("app_roles", role, "the application role " + role + " does not exist on the target",
                        "create it on the target with NOLOGIN (pg_dumpall --roles-only on the source shows its"
                                + " definition); the cutover opens it when the target takes over"));
            }
        }
    }

    private static String seconds(Duration age) {
        return age.toSeconds() + " s";
    }

    private static Finding blocker(String check, String object, String message, String remedy) {
        return new Finding(Severity.BLOCKER, check, object, message, remedy);
    }

    private static Finding warning(String check, String object, String message, String remedy) {
        return new Finding(Severity.WARNING, check, object, message, remedy);
    }
}
