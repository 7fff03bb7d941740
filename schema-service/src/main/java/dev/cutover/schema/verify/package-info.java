/** Compares the target's schema with the source's, catalog against catalog, and lists what differs. */
package dev.cutover.schema.verify;
