package dev.cutover.lag.engine;

/** The replication products this service can observe; the names travel in {@code LagReported.engine}. */
public enum EngineKind {
    NATIVE,
    DMS,
    PGLOGICAL
}
