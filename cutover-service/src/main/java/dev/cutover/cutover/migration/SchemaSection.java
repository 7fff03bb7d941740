package dev.cutover.cutover.migration;

/** The two halves of the source's schema dump: tables before the copy, indexes and constraints after it (building them on a full table is faster). */
public enum SchemaSection {
    PRE_DATA,
    POST_DATA
}
