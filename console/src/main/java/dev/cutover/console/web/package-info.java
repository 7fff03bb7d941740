/** The page and its stream of server-sent events. */
package dev.cutover.console.web;
