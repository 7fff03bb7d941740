package dev.cutover.console.board;

/**
 * One change the page draws: the whole new view of one cutover, migration or database's lag, so that a page that
 * missed earlier updates is still right after the next one.
 *
 * @param kind {@code cutover}, {@code migration} or {@code lag}: the server-sent event's name
 * @param id   the cutover's or migration's id, or the database's name for lag
 * @param json the view as a JSON object
 */
public record Update(String kind, String id, String json) {
}
