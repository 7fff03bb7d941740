/** Test helpers: a fresh database on the shared stack's source and target, and SQL against them. */
package dev.cutover.replicator.testing;
