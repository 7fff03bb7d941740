package dev.cutover.schema.section;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.cutover.schema.pgtools.Catalog;

/**
 * What the source's catalog says about the post-data entries, each named as pg_dump names it (schema and
 * tag): how much work it is, which table it belongs to, and, for primary keys and unique constraints that
 * can be built as a unique index first, that index's definition.
 *
 * @param sizes      the index's size, or the table's for a foreign key
 * @param tables     the table an index or constraint is on, as {@code schema.table}
 * @param referenced the table a foreign key references, as {@code schema.table}
 * @param keyIndexes primary keys and unique constraints that may be split into an index and the constraint
 * @param parents    each partition or inheritance child's parent, both as {@code schema.table}
 * @param partitioned the partitioned tables, as {@code schema.table}
 */
record SourceObjects(Map<String, Long> sizes, Map<String, String> tables, Map<String, String> referenced,
                     Map<String, KeyIndex> keyIndexes, Map<String, String> parents, Set<String> partitioned) {

    private static final String OBJECTS = """
            SELECT n.nspname, i.relname, pg_catalog.pg_relation_size(i.oid), tn.nspname || '.' || t.relname, NULL
              FROM pg_catalog.pg_index x
              JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace
              JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
              JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
             WHERE n.nspname = ANY (?)
            UNION ALL
            SELECT n.nspname, t.relname || ' ' || c.conname,
                   pg_catalog.pg_relation_size(CASE WHEN c.conindid <> 0 AND c.contype <> 'f' THEN c.conindid ELSE t.oid END),
                   n.nspname || '.' || t.relname, fn.nspname || '.' || f.relname
              FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
              LEFT JOIN pg_catalog.pg_class f ON f.oid = c.confrelid AND c.contype = 'f'
              LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
             WHERE n.nspname = ANY (?)
            """;

    /**
     * Keys on plain tables whose index pg_dump writes nothing else about: a clustered or replica-identity
     * index gets further statements in the constraint's entry, and partitions and partitioned tables attach
     * their keys to each other, which {@code USING INDEX} does not do. pg_get_indexdef qualifies every name
     * because the search path is empty.
     */
    private static final String KEY_INDEXES = """
            SELECT n.nspname, t.relname || ' ' || c.conname, i.relname, pg_catalog.pg_get_indexdef(i.oid),
                   c.contype = 'p', c.condeferrable, c.condeferred,
                   pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.relname),
                   pg_catalog.quote_ident(c.conname), pg_catalog.quote_ident(i.relname)
              FROM pg_catalog.pg_constraint c
              JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
              JOIN pg_catalog.pg_class i ON i.oid = c.conindid
              JOIN pg_catalog.pg_index x ON x.indexrelid = i.oid
             WHERE c.contype IN ('p', 'u') AND t.relkind = 'r' AND n.nspname = ANY (?)
               AND NOT x.indisclustered AND NOT x.indisreplident%s
            """;

    /** Children and their parents. */
    private static final String PARENTS = """
            SELECT cn.nspname || '.' || c.relname, pn.nspname || '.' || p.relname
              FROM pg_catalog.pg_inherits i
              JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
              JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
              JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
              JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
             WHERE cn.nspname = ANY (?) AND c.relkind IN ('r', 'p')
            """;

    /** Partitioned tables: {@code relkind} 'p', from PostgreSQL 10 on (no table matches before). */
    private static final String PARTITIONED = """
            SELECT n.nspname || '.' || c.relname
              FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'p' AND n.nspname = ANY (?)
            """;

    /** PostgreSQL 10 added partitions. */
    private static final int PARTITIONS_VERSION = 10;

    SourceObjects {
        sizes = Map.copyOf(sizes);
        tables = Map.copyOf(tables);
        referenced = Map.copyOf(referenced);
        keyIndexes = Map.copyOf(keyIndexes);
        parents = Map.copyOf(parents);
        partitioned = Set.copyOf(partitioned);
    }

    /**
     * A primary key or unique constraint as two statements: the unique index, which can be built while other
     * indexes of the same table are (it takes a SHARE lock, where {@code ADD PRIMARY KEY} takes ACCESS
     * EXCLUSIVE), and the constraint added on it, which is instant.
     *
     * @param indexName   the index's name, which the constraint then takes
     * @param createIndex {@code CREATE UNIQUE INDEX ...}, the source's own definition
     * @param addKey      {@code ALTER TABLE ONLY ... ADD CONSTRAINT ... USING INDEX ...}
     */
    record KeyIndex(String indexName, String createIndex, String addKey) {
    }

    static SourceObjects read(Connection source, List<String> schemas) throws SQLException {
        Map<String, Long> sizes = new HashMap<>();
        Map<String, String> tables = new HashMap<>();
        Map<String, String> referenced = new HashMap<>();
        try (PreparedStatement statement = source.prepareStatement(OBJECTS)) {
            statement.setArray(1, Catalog.textArray(source, schemas));
            statement.setArray(2, Catalog.textArray(source, schemas));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String key = key(rows.getString(1), rows.getString(2));
                    sizes.merge(key, rows.getLong(3), Long::sum);
                    tables.putIfAbsent(key, rows.getString(4));
                    if (rows.getString(5) != null) {
                        referenced.putIfAbsent(key, rows.getString(5));
                    }
                }
            }
        }
        Map<String, String> parents = new HashMap<>();
        Set<String> partitioned = new HashSet<>();
        try (PreparedStatement statement = source.prepareStatement(PARENTS)) {
            statement.setArray(1, Catalog.textArray(source, schemas));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    parents.putIfAbsent(rows.getString(1), rows.getString(2));
                }
            }
        }
        try (PreparedStatement statement = source.prepareStatement(PARTITIONED)) {
            statement.setArray(1, Catalog.textArray(source, schemas));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    partitioned.add(rows.getString(1));
                }
            }
        }
        return new SourceObjects(sizes, tables, referenced, keyIndexes(source, schemas), parents, partitioned);
    }

    private static Map<String, KeyIndex> keyIndexes(Connection source, List<String> schemas) throws SQLException {
        String partitions = Catalog.majorVersion(source) >= PARTITIONS_VERSION ? " AND NOT t.relispartition" : "";
        Map<String, KeyIndex> found = new HashMap<>();
        try (Statement settings = source.createStatement()) {
            settings.execute("SET search_path = ''");
        }
        try (PreparedStatement statement = source.prepareStatement(KEY_INDEXES.formatted(partitions))) {
            statement.setArray(1, Catalog.textArray(source, schemas));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String addKey = "ALTER TABLE ONLY " + rows.getString(8) + " ADD CONSTRAINT " + rows.getString(9)
                            + (rows.getBoolean(5) ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + rows.getString(10)
                            + (rows.getBoolean(6) ? " DEFERRABLE" : "") + (rows.getBoolean(7) ? " INITIALLY DEFERRED" : "")
                            + ";";
                    found.put(key(rows.getString(1), rows.getString(2)),
                            new KeyIndex(rows.getString(3), rows.getString(4) + ";", addKey));
                }
            }
        }
        return found;
    }

    long sizeOf(PostDataItem item) {
        return sizes.getOrDefault(key(item.schema(), item.tag()), 0L);
    }

    Optional<String> tableOf(PostDataItem item) {
        return Optional.ofNullable(tables.get(key(item.schema(), item.tag())));
    }

    Optional<String> referencedTableOf(PostDataItem item) {
        return Optional.ofNullable(referenced.get(key(item.schema(), item.tag())));
    }

    Optional<KeyIndex> keyIndexOf(PostDataItem item) {
        return Optional.ofNullable(keyIndexes.get(key(item.schema(), item.tag())));
    }

    static String key(String schema, String tag) {
        return schema + '\0' + tag;
    }
}
