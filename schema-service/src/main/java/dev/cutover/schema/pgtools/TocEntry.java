package dev.cutover.schema.pgtools;

/**
 * One entry of an archive's table of contents, as {@code pg_restore -l} lists it.
 *
 * @param line the line as listed; written back unchanged to a list file for {@code pg_restore -L}
 * @param dumpId the entry's number in the archive
 * @param type what the entry creates, e.g. {@code INDEX}, {@code FK CONSTRAINT}, {@code INDEX ATTACH}
 * @param schema the schema, or {@code -} for objects outside schemas
 * @param tagAndOwner the rest of the line: the object's tag (for constraints and triggers "table name")
 *                    and its owner; names may hold spaces, so the two are not split
 */
public record TocEntry(String line, int dumpId, String type, String schema, String tagAndOwner) {

    /** True when this entry names exactly {@code tag} (followed by the owner, if any). */
    public boolean hasTag(String tag) {
        return tagAndOwner.equals(tag) || tagAndOwner.startsWith(tag + " ");
    }
}
