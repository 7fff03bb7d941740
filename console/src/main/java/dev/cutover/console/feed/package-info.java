/** Reads the cutover topics from their beginning and hands every record to the hub. */
package dev.cutover.console.feed;
