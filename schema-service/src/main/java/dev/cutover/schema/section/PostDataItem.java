package dev.cutover.schema.section;

import java.util.List;

/**
 * One entry of the post-data section with the SQL that creates it.
 *
 * @param position the entry's place in pg_dump's order, which respects dependencies
 * @param type     pg_dump's entry type, e.g. {@code INDEX}, {@code FK CONSTRAINT}
 * @param schema   the schema of the object
 * @param tag      pg_dump's name for it: the index name, or "table constraint" for constraints and triggers
 * @param session  {@code SET} statements the SQL expects (tablespace, table access method), run before it
 * @param sql      the entry's SQL exactly as pg_restore wrote it
 */
record PostDataItem(int position, String type, String schema, String tag, List<String> session, String sql) {

    PostDataItem {
        session = List.copyOf(session);
    }

    Kind kind() {
        return Kind.of(type);
    }

    /**
     * The unique index that a primary key or unique constraint is built as first (not a pg_dump type: see
     * {@link KeyIndexes}); its tag is the index's name.
     */
    static final String KEY_INDEX_TYPE = "CONSTRAINT INDEX";

    /** The primary key or unique constraint added on the index built for it; its tag is pg_dump's constraint tag. */
    static final String KEY_ON_INDEX_TYPE = "CONSTRAINT USING INDEX";

    /** What the service reports and how the item is scheduled. */
    enum Kind {
        INDEX, KEY_CONSTRAINT, KEY_INDEX, KEY_ON_INDEX, INDEX_ATTACHMENT, FOREIGN_KEY, OTHER;

        static Kind of(String type) {
            return switch (type) {
                case "INDEX" -> INDEX;
                case "CONSTRAINT" -> KEY_CONSTRAINT;
                case KEY_INDEX_TYPE -> KEY_INDEX;
                case KEY_ON_INDEX_TYPE -> KEY_ON_INDEX;
                case "INDEX ATTACH" -> INDEX_ATTACHMENT;
                case "FK CONSTRAINT" -> FOREIGN_KEY;
                default -> OTHER;
            };
        }
    }

    /** The SQL a worker sends: the session settings, then the entry. */
    String statement() {
        return session.isEmpty() ? sql : String.join("\n", session) + "\n" + sql;
    }

    /** The same entry with other SQL. */
    PostDataItem withSql(String other) {
        return new PostDataItem(position, type, schema, tag, session, other);
    }

    String describe() {
        return type + " " + schema + "." + tag;
    }
}
