/** The migration saga's pure domain: it prepares a target (schema, full copy, streaming, verification) from its state and the message at hand, with no I/O. */
package dev.cutover.cutover.migration;
