package dev.cutover.cutover.migration;

/** How a migration's {@code VerifyData} compares the data; a plan without one leaves it to the replicator's setting. */
public enum DataVerification {
    /** Every key range of every table. */
    FULL,
    /** A sample of each table's ranges, every row changed since streaming began, and each table's row count. */
    SAMPLED
}
