package dev.cutover.schema.section;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.cutover.schema.section.SourceObjects.KeyIndex;

/**
 * Builds primary keys and unique constraints as a unique index first and the constraint on it after.
 * {@code ALTER TABLE ... ADD PRIMARY KEY} holds an ACCESS EXCLUSIVE lock on its table while it builds the
 * index, so every other index of that table waits for it; {@code CREATE UNIQUE INDEX} takes a SHARE lock,
 * which lets all indexes of one table build at once, and {@code ADD CONSTRAINT ... USING INDEX} then takes
 * no time. The result is the same constraint with the same index, name and options.
 */
final class KeyIndexes {

    private KeyIndexes() {
    }

    /**
     * @param items      post-data entries
     * @param keyIndexOf the index form of a key, where the source's catalog allows one
     * @return the same entries, with each key that has an index form replaced by its index and its constraint
     */
    static List<PostDataItem> split(List<PostDataItem> items, Function<PostDataItem, Optional<KeyIndex>> keyIndexOf) {
        List<PostDataItem> split = new ArrayList<>();
        for (PostDataItem item : items) {
            Optional<KeyIndex> index = item.kind() == PostDataItem.Kind.KEY_CONSTRAINT && oneStatement(item.sql())
                    ? keyIndexOf.apply(item) : Optional.empty();
            if (index.isEmpty()) {
                split.add(item);
                continue;
            }
            split.add(new PostDataItem(item.position(), PostDataItem.KEY_INDEX_TYPE, item.schema(),
                    index.get().indexName(), item.session(), index.get().createIndex()));
            split.add(new PostDataItem(item.position(), PostDataItem.KEY_ON_INDEX_TYPE, item.schema(), item.tag(),
                    item.session(), index.get().addKey()));
        }
        return split;
    }

    /**
     * pg_dump writes more into a key's entry when the key needs it (CLUSTER ON, REPLICA IDENTITY); an entry
     * of anything but the one ADD CONSTRAINT is kept as pg_dump wrote it. A name holding a semicolon keeps it
     * too, which costs only the parallel build.
     */
    private static boolean oneStatement(String sql) {
        return sql.indexOf(';') == sql.length() - 1 && sql.contains(" ADD CONSTRAINT ");
    }
}
