/** A target whose schema was created beforehand: judged against the source's, then used as it is. */
package dev.cutover.schema.precreated;
