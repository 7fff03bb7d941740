/**
 * What the console makes of the log, without Kafka or HTTP: every cutover and migration folded by cutoverctl's
 * replay code, the steps as bars on a time axis, the lag per database, each as the JSON the page draws.
 */
package dev.cutover.console.board;
