package dev.cutover.schema.pgtools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The table of contents of a custom-format archive, read from {@code pg_restore -l}. pg_dump writes
 * the entries in an order that respects their dependencies; this keeps that order.
 *
 * @param entries the entries in archive order
 */
public record Toc(List<TocEntry> entries) {

    /**
     * Entry types, longest first so that "FK CONSTRAINT" is not read as a schema named "CONSTRAINT". These
     * are the descriptions pg_dump writes; a type missing here is still read (as its first word).
     */
    private static final List<String> KNOWN_TYPES = List.of(
            "MATERIALIZED VIEW DATA", "MATERIALIZED VIEW", "DEFAULT ACL", "EVENT TRIGGER", "FK CONSTRAINT",
            "INDEX ATTACH", "TABLE ATTACH", "SEQUENCE OWNED BY", "SEQUENCE SET", "TABLE DATA", "FOREIGN TABLE",
            "FOREIGN DATA WRAPPER", "FOREIGN SERVER", "USER MAPPING", "TEXT SEARCH CONFIGURATION",
            "TEXT SEARCH DICTIONARY", "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE", "OPERATOR CLASS",
            "OPERATOR FAMILY", "SHELL TYPE", "PROCEDURAL LANGUAGE", "ROW SECURITY", "PUBLICATION TABLE",
            "PUBLICATION TABLES IN SCHEMA", "STATISTICS", "ACCESS METHOD", "LARGE OBJECT", "BLOB",
            "CONSTRAINT", "INDEX", "TRIGGER", "RULE", "POLICY", "COMMENT", "ACL", "SCHEMA", "EXTENSION",
            "TABLE", "VIEW", "SEQUENCE", "FUNCTION", "PROCEDURE", "AGGREGATE", "TYPE", "DOMAIN", "COLLATION",
            "CONVERSION", "OPERATOR", "CAST", "TRANSFORM", "SERVER", "DEFAULT", "CHECK CONSTRAINT",
            "SECURITY LABEL", "PUBLICATION", "SUBSCRIPTION", "DATABASE", "ENCODING", "STDSTRINGS",
            "SEARCHPATH").stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();

    public Toc {
        entries = List.copyOf(entries);
    }

    /** Reads the output of {@code pg_restore -l}: comment lines start with ';', entries with "id; catalog oid". */
    public static Toc parse(String listing) {
        List<TocEntry> entries = new ArrayList<>();
        for (String line : listing.split("\n")) {
            if (line.isBlank() || line.startsWith(";")) {
                continue;
            }
            entries.add(parseEntry(line));
        }
        return new Toc(entries);
    }

    private static TocEntry parseEntry(String line) {
        int semicolon = line.indexOf(';');
        if (semicolon < 1) {
            throw new IllegalArgumentException("not a pg_restore -l entry: " + line);
        }
        int dumpId = Integer.parseInt(line.substring(0, semicolon).strip());
        // "<catalog oid> <object oid> <type> <schema> <tag> <owner>"
        String[] oids = line.substring(semicolon + 1).stripLeading().split(" ", 3);
        if (oids.length < 3) {
            throw new IllegalArgumentException("not a pg_restore -l entry: " + line);
        }
        String rest = oids[2];
        String type = KNOWN_TYPES.stream()
                .filter(known -> rest.startsWith(known + " "))
                .findFirst()
                .orElse(rest.split(" ", 2)[0]);
        String afterType = rest.substring(Math.min(rest.length(), type.length() + 1));
        int space = afterType.indexOf(' ');
        String schema = space < 0 ? afterType : afterType.substring(0, space);
        String tagAndOwner = space < 0 ? "" : afterType.substring(space + 1);
        return new TocEntry(line, dumpId, type, schema, tagAndOwner);
    }

    public Toc without(Predicate<TocEntry> unwanted) {
        return new Toc(entries.stream().filter(unwanted.negate()).toList());
    }

    /** The content of a list file for {@code pg_restore -L}: these entries, in this order. */
    public String listFile() {
        StringBuilder text = new StringBuilder();
        entries.forEach(entry -> text.append(entry.line()).append('\n'));
        return text.toString();
    }

    public int size() {
        return entries.size();
    }
}
