package dev.cutover.replicator.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.cutover.replicator.postgres.KeySample;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.postgres.Tables;

/** Reads from the source which tables to copy, their columns, sizes and how each can be split. */
final class SourceCatalog {

    /** PostgreSQL 14 added TID range scans; before, a ctid range reads the whole table. */
    static final int TID_RANGE_SCAN_VERSION = 140000;

    /** Built-in types have OIDs below this (FirstNormalObjectId); their binary form does not change between versions. */
    private static final int FIRST_USER_OID = 16384;

    /** Quantiles sampled for key splitting: fine enough to pick up to this many ranges evenly. */
    private static final int QUANTILES = 63;

    private final Connection source;
    private final int serverVersion;

    SourceCatalog(Connection source) throws SQLException {
        this.source = source;
        this.serverVersion = Tables.serverVersion(source);
    }

    /**
     * Describes each table for the plan. Key quantiles are sampled only where they are used: tables
     * above the threshold on servers without TID range scans.
     */
    List<SourceTable> describe(List<TableName> tables, long splitThreshold) throws SQLException {
        List<SourceTable> described = new ArrayList<>();
        for (TableName table : tables) {
            described.add(describe(table, splitThreshold));
        }
        return described;
    }

    private SourceTable describe(TableName table, long splitThreshold) throws SQLException {
        long bytes;
        long blocks;
        // The work is the table with its TOAST (a table of large documents is mostly TOAST, its heap small); the
        // ranges are the heap's blocks.
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT pg_table_size(?::regclass), pg_relation_size(?::regclass) / current_setting('block_size')::bigint")) {
            statement.setString(1, table.quoted());
            statement.setString(2, table.quoted());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                bytes = row.getLong(1);
                blocks = row.getLong(2);
            }
        }
        List<String> columns = new ArrayList<>();
        boolean binary = true;
        String generated = serverVersion >= 120000 ? " AND a.attgenerated = ''" : "";
        try (PreparedStatement statement = source.prepareStatement("""
                SELECT a.attname, a.atttypid < %d OR t.typtype = 'e'
                FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped%s
                ORDER BY a.attnum""".formatted(FIRST_USER_OID, generated))) {
            statement.setString(1, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                    binary &= rows.getBoolean(2);
                }
            }
        }
        return new SourceTable(table, columns, binary, bytes, blocks, split(table, bytes > splitThreshold, blocks));
    }

    private Split split(TableName table, boolean large, long blocks) throws SQLException {
        if (!large) {
            return new Split.Whole();
        }
        if (serverVersion >= TID_RANGE_SCAN_VERSION) {
            return new Split.ByBlocks();
        }
        Optional<KeySample.KeyColumn> key = KeySample.leadingKeyColumn(source, table).filter(KeySample.KeyColumn::only);
        if (key.isEmpty()) {
            return new Split.ByBlocks();
        }
        List<String> quantiles = KeySample.quantiles(source, table, key.get().column(), QUANTILES, blocks);
        return quantiles.isEmpty() ? new Split.ByBlocks()
                : new Split.ByKey(key.get().column(), key.get().type(), quantiles);
    }
}
