/** An operator's start, abort and fallback from the page, written to {@code cutover.commands} in their name. */
package dev.cutover.console.command;
