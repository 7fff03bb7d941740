/** The cutover saga's pure domain: it decides every step of moving a live database from its state and the message at hand, with no I/O. */
package dev.cutover.cutover.saga;
