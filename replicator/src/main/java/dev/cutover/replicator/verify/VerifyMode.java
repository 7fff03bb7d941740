package dev.cutover.replicator.verify;

/** How much of the data a verification compares. */
public enum VerifyMode {
    /** Every key range of every table. */
    FULL,
    /**
     * A sample of each table's ranges, every range the change record names, and each table's row count on both sides.
     */
    SAMPLED
}
