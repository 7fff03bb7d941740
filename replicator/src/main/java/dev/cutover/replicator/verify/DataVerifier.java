package dev.cutover.replicator.verify;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.platform.database.Endpoint;
import dev.cutover.replicator.postgres.Failures;
import dev.cutover.replicator.postgres.KeySample;
import dev.cutover.replicator.postgres.TableName;
import dev.cutover.replicator.postgres.Tables;

/**
 * Compares every moved table between source and target: both servers sum row hashes per key range in
 * one scan each, at the same time, and only the sums cross the network.
 */
public final class DataVerifier {

    private static final Logger log = LoggerFactory.getLogger(DataVerifier.class);

    /** More ranges than this make the bucket array itself the cost; tables that large get coarser ranges. */
    private static final int MAX_RANGES = 1000;

    /**
     * Settings that decide how values print; both sides must print a value alike to hash it alike. Floats hash in
     * their binary form where a column holds them; inside a range or a composite they print, and only
     * {@code extra_float_digits = 0} prints them alike on every version (12 and later print the shortest exact form
     * for any positive value, 11 prints 17 digits for 3).
     */
    private static final List<String> SAME_TEXT = List.of("SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, YMD'",
            "SET IntervalStyle = 'postgres'", "SET bytea_output = 'hex'", "SET extra_float_digits = 0",
            "SET lc_monetary = 'C'");

    private final long rowsPerRange;

    /** @param rowsPerRange about how many rows one checksum covers: smaller ranges name a difference more precisely */
    public DataVerifier(long rowsPerRange) {
        if (rowsPerRange < 1) {
            throw new IllegalArgumentException("rows per range must be positive, was " + rowsPerRange);
        }
        this.rowsPerRange = rowsPerRange;
    }

    public Verification verify(DatabasePair pair) {
        Endpoint source = pair.source();
        Endpoint target = pair.target();
        String where = source.describe() + " and " + target.describe();
        try (Connection from = source.connect(); Connection to = target.connect()) {
            sameText(from);
            sameText(to);
            List<TableName> tables = Tables.list(from, pair.schemasOn(from));
            List<Mismatch> mismatches = new ArrayList<>();
            long rows = 0;
            for (TableName table : tables) {
                List<HashedColumn> columns = columns(from, table);
                KeyRanges ranges = ranges(from, table);
                String sql = rangeSums(table, columns, ranges);
                CompletableFuture<Map<Integer, RangeSum>> onTarget = CompletableFuture.supplyAsync(() -> sums(to, sql));
                Map<Integer, RangeSum> onSource = sums(from, sql);
                List<Mismatch> found = Comparison.of(table.toString(), ranges, onSource, onTarget.join());
                rows += onSource.values().stream().mapToLong(RangeSum::rows).sum();
                log.debug("verified {} in {} ranges: {} mismatches", table, ranges.bounds().size() + 1, found.size());
                mismatches.addAll(found);
            }
            return new Verification(tables.size(), rows, mismatches);
        } catch (SQLException e) {
            throw Failures.of("verifying the data", where, e);
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException failure) {
                throw Failures.of("verifying the data", target.describe(), failure);
            }
            throw e;
        }
    }

    static String rangeSums(TableName table, List<HashedColumn> columns, KeyRanges ranges) {
        return "SELECT " + ranges.bucketExpression() + " AS bucket, count(*), coalesce(sum("
                + RowHash.expression(columns) + "), 0) FROM ONLY " + table.quoted() + " r GROUP BY 1";
    }

    private static void sameText(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String setting : SAME_TEXT) {
                statement.execute(setting);
            }
        }
    }

    private static Map<Integer, RangeSum> sums(Connection connection, String sql) {
        Map<Integer, RangeSum> sums = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                BigDecimal checksum = rows.getBigDecimal(3);
                sums.put(rows.getInt(1), new RangeSum(rows.getLong(2), checksum));
            }
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
        return sums;
    }

    /** The table's columns, with the binary output function for types whose text form changed across versions. */
    private static List<HashedColumn> columns(Connection source, TableName table) throws SQLException {
        List<HashedColumn> columns = new ArrayList<>();
        try (PreparedStatement statement = source.prepareStatement("""
                SELECT a.attname,
                       CASE WHEN (CASE WHEN b.typcategory = 'A' THEN b.typelem ELSE b.oid END) IN
                                 ('float4'::regtype, 'float8'::regtype, 'point'::regtype, 'lseg'::regtype,
                                  'line'::regtype, 'box'::regtype, 'path'::regtype, 'polygon'::regtype,
                                  'circle'::regtype)
                            THEN b.typsend::text END
                FROM pg_attribute a
                JOIN pg_type t ON t.oid = a.atttypid
                JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
                WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""")) {
            statement.setString(1, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(new HashedColumn(rows.getString(1), Optional.ofNullable(rows.getString(2))));
                }
            }
        }
        return columns;
    }

    private KeyRanges ranges(Connection source, TableName table) throws SQLException {
        Optional<KeySample.KeyColumn> key = KeySample.leadingKeyColumn(source, table);
        if (key.isEmpty()) {
            return KeyRanges.whole();
        }
        long rows;
        long blocks;
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT reltuples::bigint, pg_relation_size(oid) / current_setting('block_size')::bigint"
                        + " FROM pg_class WHERE oid = ?::regclass")) {
            statement.setString(1, table.quoted());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                blocks = row.getLong(2);
                // Never analysed: reltuples is 0 (or -1 since 14); assume small rows so ranges err on the fine side.
                rows = row.getLong(1) > 0 ? row.getLong(1) : blocks * 100;
            }
        }
        int bounds = (int) Math.min(MAX_RANGES - 1, (rows + rowsPerRange - 1) / rowsPerRange - 1);
        if (bounds < 1) {
            return new KeyRanges(key.get().column(), key.get().type(), List.of());
        }
        List<String> quantiles = KeySample.quantiles(source, table, key.get().column(), bounds, blocks);
        return new KeyRanges(key.get().column(), key.get().type(), quantiles);
    }
}
