/** Sets every sequence on the target from the source's position, during the cutover's downtime. */
package dev.cutover.schema.sequences;
