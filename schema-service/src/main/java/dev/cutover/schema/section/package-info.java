/** Applies the source's schema to the target in two sections: pre-data before the copy, post-data after it. */
package dev.cutover.schema.section;
