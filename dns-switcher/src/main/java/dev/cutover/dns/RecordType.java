package dev.cutover.dns;

/** The record types a database name can have: an address, or an alias of another host name. */
public enum RecordType {
    A,
    CNAME
}
