package dev.cutover.replicator.verify;

import java.util.Optional;

/**
 * A column as it enters a row's checksum.
 *
 * @param name         the column
 * @param sendFunction the type's binary output function, used where the text form differs between
 *                     versions (floating-point values print differently since PostgreSQL 12); empty to
 *                     hash the text form
 */
record HashedColumn(String name, Optional<String> sendFunction) {
}
