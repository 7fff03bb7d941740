/** The console in a real browser. */
package dev.cutover.console.browser;
