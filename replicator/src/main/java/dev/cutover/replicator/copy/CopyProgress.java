package dev.cutover.replicator.copy;

/** Told about each table as soon as it is completely copied; called from the worker that finished it. */
@FunctionalInterface
public interface CopyProgress {

    void tableCopied(CopiedTable table);
}
