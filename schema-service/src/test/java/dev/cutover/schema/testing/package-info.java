/** What the integration tests share: a fresh database pair on the local stack and SQL helpers. */
package dev.cutover.schema.testing;
