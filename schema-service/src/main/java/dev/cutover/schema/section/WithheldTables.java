package dev.cutover.schema.section;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables a resumed load left to the subscription's table synchronisation: empty on the target while post-data
 * runs, copied during streaming. A foreign key that references one of them (or a partitioned table one of whose
 * partitions is one of them) cannot be validated before then, since the rows it checks against are not there yet:
 * post-data adds it {@code NOT VALID}, enforced for new rows at once, and the schema check validates it once the
 * rows are in. PostgreSQL refuses {@code NOT VALID} on a partitioned table's foreign key, so such a key is left out
 * of post-data and added whole by the schema check. A key of a withheld table itself is built as usual: its table is
 * empty, so there is nothing to check.
 *
 * @param withheld   as the replicator names them, {@code schema.table}
 * @param incomplete the withheld tables and every table above one of them (partitioned parents, inheritance parents)
 */
record WithheldTables(Set<String> withheld, Set<String> incomplete) {

    /** What a foreign key becomes in a resumed load's post-data. */
    enum Treatment {
        /** Built as dumped. */
        AS_DUMPED,
        /** Added {@code NOT VALID}, validated by the schema check. */
        NOT_VALID,
        /** Left out, added whole by the schema check. */
        LATER
    }

    static final WithheldTables NONE = new WithheldTables(Set.of(), Set.of());

    WithheldTables {
        withheld = Set.copyOf(withheld);
        incomplete = Set.copyOf(incomplete);
    }

    /** @param parents each child table's parent, {@code schema.table} */
    static WithheldTables of(Collection<String> withheld, Map<String, String> parents) {
        Set<String> incomplete = new HashSet<>();
        for (String table : withheld) {
            String above = table;
            // A cycle cannot occur in pg_inherits; the set's own answer ends the walk anyway.
            while (above != null && incomplete.add(above)) {
                above = parents.get(above);
            }
        }
        return new WithheldTables(Set.copyOf(withheld), incomplete);
    }

    boolean isEmpty() {
        return withheld.isEmpty();
    }

    /**
     * @param table       the foreign key's own table
     * @param referenced  the table it references
     * @param partitioned whether its own table is partitioned
     */
    Treatment foreignKey(String table, String referenced, boolean partitioned) {
        if (!incomplete.contains(referenced) || withheld.contains(table)) {
            return Treatment.AS_DUMPED;
        }
        return partitioned ? Treatment.LATER : Treatment.NOT_VALID;
    }

    /** The foreign key's statement as pg_dump wrote it, added {@code NOT VALID} (unchanged if it already is). */
    static String notValid(String sql) {
        return isNotValid(sql) ? sql.strip() : body(sql) + " NOT VALID;";
    }

    /** Whether the foreign key's statement adds it {@code NOT VALID}, as pg_dump writes a key not validated. */
    static boolean isNotValid(String sql) {
        return body(sql).endsWith(" NOT VALID");
    }

    private static String body(String sql) {
        String statement = sql.strip();
        if (!statement.endsWith(";")) {
            throw new IllegalArgumentException("a foreign key's statement ends with ';': " + sql);
        }
        return statement.substring(0, statement.length() - 1).stripTrailing();
    }

    List<String> sorted() {
        return withheld.stream().sorted().toList();
    }
}
