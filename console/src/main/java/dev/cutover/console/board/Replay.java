package dev.cutover.console.board;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cutover.ctl.replay.CutoverSummary;
import dev.cutover.ctl.replay.Decoded;
import dev.cutover.ctl.replay.Json;
import dev.cutover.ctl.replay.LoggedRecord;
import dev.cutover.ctl.replay.Timeline;

/**
 * A cutover as it looked after each of its messages, in the order they happened: what the page plays back onto the
 * timeline at the messages' recorded times. Each frame is the fold of the messages up to it, so a replay shows what
 * the live page showed then (the bars, the state, the downtime, a silent saga), not the end result drawn early.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * The replay as JSON: every message once ({@code entries}), then one frame per message with its time from the
     * first and how many of the entries it shows.
     */
    public static String json(String cutoverId, List<LoggedRecord> log) {
        var ordered = CutoverSummary.inOrder(log);
        var whole = Timeline.of(cutoverId, ordered);
        var frames = new ArrayList<Map<String, Object>>();
        int shown = 0;
        for (int i = 0; i < ordered.size(); i++) {
            // An undecodable record has no time of its own to play at: it shows in the next frame's count.
            if (!(ordered.get(i) instanceof Decoded)) {
                continue;
            }
            var prefix = Timeline.of(cutoverId, ordered.subList(0, i + 1));
            var frame = new LinkedHashMap<String, Object>();
            frame.put("offsetMs", prefix.entries().getLast().offset().toMillis());
            frame.put("entries", ++shown);
            frame.put("view", Views.cutoverWithoutEntries(prefix));
            frames.add(frame);
        }
        var replay = new LinkedHashMap<String, Object>();
        replay.put("id", cutoverId);
        replay.put("database", whole.summary().database());
        replay.put("spanMs", whole.entries().isEmpty() ? 0 : whole.entries().getLast().offset().toMillis());
        replay.put("entries", Views.entries(whole, 0));
        replay.put("frames", frames);
        return Json.write(replay);
    }
}
