/** Preflight: reads facts about the source, the target and the client programs, and judges them without I/O. */
package dev.cutover.schema.preflight;
