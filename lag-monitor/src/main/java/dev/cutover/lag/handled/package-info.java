/** Recognising a message that was already handled, so repeated commands and events do no harm. */
package dev.cutover.lag.handled;
