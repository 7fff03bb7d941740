package dev.cutover.schema.preflight;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.schema.pgtools.Catalog;
import dev.cutover.schema.pgtools.PgTools;

/** Reads the facts and runs the checks. */
public final class PreflightChecker {

    private final PgTools tools;
    private final Duration longTransaction;

    /**
     * @param longTransaction a transaction open longer than this on the source is reported
     */
    public PreflightChecker(PgTools tools, Duration longTransaction) {
        this.tools = tools;
        this.longTransaction = longTransaction;
    }

    public List<Finding> check(DatabasePair pair, Scope scope) {
        Facts.Source source;
        try (Connection connection = pair.source().connect()) {
            source = FactsReader.source(connection, pair.schemas(), pair.appRoles());
        } catch (SQLException e) {
            throw Catalog.failure("reading preflight facts", pair.source(), e);
        }
        Facts.Target target;
        try (Connection connection = pair.target().connect()) {
            target = FactsReader.target(connection, pair.schemas(), pair.appRoles());
        } catch (SQLException e) {
            throw Catalog.failure("reading preflight facts", pair.target(), e);
        }
        List<Finding> findings = new ArrayList<>(
                Preflight.check(new Facts(source, target, tools.pgDumpVersion(), pair.appRoles()), scope, longTransaction));
        if (scope == Scope.CUTOVER) {
            findings.addAll(AppRolePasswords.carryOver(pair));
        }
        return findings;
    }
}
