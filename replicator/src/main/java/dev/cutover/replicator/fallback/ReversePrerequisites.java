package dev.cutover.replicator.fallback;

import java.util.ArrayList;
import java.util.List;

/**
 * What the two servers must offer for the target to publish back to the source, judged from facts read on both.
 * PostgreSQL's built-in subscriber asks the publisher for the logical replication protocol version it speaks (1 up
 * to 13, higher from 14 only for streaming, two-phase or parallel apply, none of which a reverse subscription turns
 * on), and every publisher from 10 on still accepts version 1: a PostgreSQL 17 target publishes to an 11 source.
 * What limits the pair is the features each end needs: {@code pg_replication_slot_advance} on the target (11), and
 * a source of at least 11, whose subscriber understands the TRUNCATE messages a publisher of 11 or later sends.
 *
 * @param sourceVersion   the source's {@code server_version_num}
 * @param targetVersion   the target's {@code server_version_num}
 * @param targetWalLevel  the target's {@code wal_level}
 * @param slotExists      the reverse slot exists already (an earlier preflight made it), so it needs no free one
 * @param freeSlots       {@code max_replication_slots} less the slots in use on the target
 * @param freeWalSenders  {@code max_wal_senders} less the WAL senders running on the target
 */
public record ReversePrerequisites(int sourceVersion, int targetVersion, String targetWalLevel, boolean slotExists,
                                   int freeSlots, int freeWalSenders) {

    static final int OLDEST_SOURCE = 110000;
    static final int OLDEST_TARGET = 110000;

    /** Each thing that stops reverse replication from working, with what to do; empty when it can work. */
    public List<String> problems() {
        var problems = new ArrayList<String>();
        if (sourceVersion < OLDEST_SOURCE) {
            problems.add("the source runs PostgreSQL " + major(sourceVersion) + ", whose subscriber cannot apply what"
                    + " the target publishes (TRUNCATE needs 11): a fallback needs a source of 11 or later; turn"
                    + " cutover.databases.<name>.fallback.prepare off to cut over without one");
        }
        if (targetVersion < OLDEST_TARGET) {
            problems.add("the target runs PostgreSQL " + major(targetVersion) + ", which cannot move a slot forward"
                    + " (pg_replication_slot_advance needs 11): turn cutover.databases.<name>.fallback.prepare off");
        }
        if (!"logical".equals(targetWalLevel)) {
            problems.add("the target's wal_level is " + targetWalLevel + ", so it cannot publish: set wal_level ="
                    + " logical on the target and restart it before the cutover (on RDS:"
                    + " rds.logical_replication = 1 in its parameter group)");
        }
        if (!slotExists && freeSlots < 1) {
            problems.add("the target has no free replication slot for the reverse slot: raise"
                    + " max_replication_slots on the target (needs a restart) or drop an unused slot"
                    + " (SELECT slot_name, active FROM pg_replication_slots)");
        }
        if (freeWalSenders < 1) {
            problems.add("the target has no free WAL sender for the source's subscription: raise max_wal_senders on"
                    + " the target (needs a restart)");
        }
        return List.copyOf(problems);
    }

    private static String major(int versionNum) {
        return versionNum >= 100000 ? String.valueOf(versionNum / 10000) : versionNum / 10000 + "." + versionNum / 100 % 100;
    }
}
