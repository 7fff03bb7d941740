package dev.cutover.sandbox.report;

import dev.cutover.sandbox.client.ClientRecord;
import dev.cutover.sandbox.client.Server;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Whether every row the client was told it wrote is on a server with the status it last wrote, checked row by row.
 *
 * <p>The client's rows go into a temporary table by {@code COPY} and one anti-join finds the missing and the
 * different ones: one round trip for the data, one for the answer, whatever the number of rows.
 *
 * @param checkedOn the server checked
 * @param rows the rows the client inserted and was told so
 * @param missing rows that are not there
 * @param different rows whose status is neither the one the client last wrote nor an update in doubt at its stop, and
 *     rows acknowledged under an id that was acknowledged more than once (at most one of them can be there)
 * @param examples a few of the missing or different rows, as {@code id: expected -> found}
 * @param error why the check could not run, or {@code null}
 */
public record RowCheck(Server checkedOn, long rows, long missing, long different, List<String> examples, String error) {

    private static final int EXAMPLES = 10;
    private static final int COPY_CHUNK = 64 * 1024;

    public RowCheck {
        examples = List.copyOf(examples);
    }

    /** Rows lost: missing or different; -1 if the check could not run. */
    public long lost() {
        return error == null ? missing + different : -1;
    }

    public boolean ran() {
        return error == null;
    }

    /**
     * Checks the record's rows on {@code server}, connected as any role that may read the client's table. When the
     * check succeeds the connection is left as it was found, including a transaction the caller began (so a test can
     * plant a fault in a transaction, check, and roll it back); when it fails, the error says why.
     */
    public static RowCheck of(ClientRecord record, Connection server, Server checkedOn) {
        String table = record.settings().table();
        try (Statement statement = server.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS cutover_acked_rows");
            // No primary key: one id acknowledged twice (by the source and by the target, e.g. a rollback after the target
            // took writes) is two rows the client was told it wrote, and at most one of them can be on one server.
            statement.execute("CREATE TEMP TABLE cutover_acked_rows (id bigint NOT NULL, status text NOT NULL, doubt text)");
            try {
                copyRows(record, server);
                statement.execute("CREATE INDEX ON cutover_acked_rows (id)");
                statement.execute("ANALYZE cutover_acked_rows");
                long missing;
                long different;
                String wrong = "(n.id IS NULL OR (n.status IS DISTINCT FROM a.status AND n.status IS DISTINCT FROM a.doubt))";
                // Per id: all its acknowledged rows are missing if no row has it; otherwise every one but a matching one
                // is different (an id acknowledged once counts as before; twice, one of the two is lost at least).
                try (ResultSet counts = statement.executeQuery("WITH per_id AS (SELECT a.id, count(*) AS acked, bool_or(n.id IS NULL) AS absent,"
                        + " bool_or(NOT " + wrong + ") AS matched FROM cutover_acked_rows a LEFT JOIN " + table + " n ON n.id = a.id"
                        + " GROUP BY a.id) SELECT coalesce(sum(acked) FILTER (WHERE absent), 0),"
                        + " coalesce(sum(acked - CASE WHEN matched THEN 1 ELSE 0 END) FILTER (WHERE NOT absent), 0) FROM per_id")) {
                    counts.next();
                    missing = counts.getLong(1);
                    different = counts.getLong(2);
                }
                List<String> examples = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery("SELECT a.id, a.status, n.status, n.id IS NULL FROM cutover_acked_rows a LEFT JOIN "
                        + table + " n ON n.id = a.id WHERE " + wrong + " ORDER BY a.id LIMIT " + EXAMPLES)) {
                    while (rows.next()) {
                        examples.add("id " + rows.getLong(1) + ": " + rows.getString(2) + " -> "
                                + (rows.getBoolean(4) ? "missing" : rows.getString(3)));
                    }
                }
                return new RowCheck(checkedOn, record.rowCount(), missing, different, examples, null);
            } finally {
                statement.execute("DROP TABLE cutover_acked_rows");
            }
        } catch (SQLException e) {
            return new RowCheck(checkedOn, record.rowCount(), 0, 0, List.of(),
                    "the rows could not be checked on the " + checkedOn.name().toLowerCase() + ": " + e.getMessage());
        }
    }

    private static void copyRows(ClientRecord record, Connection server) throws SQLException {
        CopyIn copy = server.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY cutover_acked_rows (id, status, doubt) FROM STDIN");
        try {
            StringBuilder chunk = new StringBuilder(COPY_CHUNK + 128);
            for (int i = 0; i < record.rowCount(); i++) {
                ClientRecord.AckedRow row = record.row(i);
                chunk.append(row.id()).append('\t').append(row.status().value()).append('\t')
                        .append(row.inDoubtStatus() == null ? "\\N" : row.inDoubtStatus().value()).append('\n');
                if (chunk.length() >= COPY_CHUNK) {
                    write(copy, chunk);
                }
            }
            write(copy, chunk);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void write(CopyIn copy, StringBuilder chunk) throws SQLException {
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
    }
}
