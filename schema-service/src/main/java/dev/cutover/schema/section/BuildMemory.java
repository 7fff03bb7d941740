package dev.cutover.schema.section;

import java.util.List;

/**
 * The memory each post-data connection may sort in on the target, set on its session as {@code maintenance_work_mem}:
 * an index build sorts its keys in it (a GIN index gathers its entries in it), and a foreign key's check of the rows
 * joins in it (PostgreSQL raises {@code work_mem} to it for that query). With the servers' default of 64 MB a big
 * table's index sort spills to disk in many runs. 0 leaves the server's own setting. Up to workers times tables at once
 * builds run together, each may use this much.
 *
 * @param maintenanceWorkMemKb in kB, 0 or 1024 (PostgreSQL's minimum) up to {@value Integer#MAX_VALUE}
 */
public record BuildMemory(long maintenanceWorkMemKb) {

    /** The target server's own setting. */
    public static final BuildMemory SERVER_SETTINGS = new BuildMemory(0);

    /** What schema-service sets unless configured otherwise: 1 GB, as pgcopydb sets for its index builds. */
    public static final BuildMemory DEFAULT = new BuildMemory(1024 * 1024);

    public BuildMemory {
        if (maintenanceWorkMemKb != 0 && (maintenanceWorkMemKb < 1024 || maintenanceWorkMemKb > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("cutover.schema.post-data-maintenance-work-mem must be 0 for the target"
                    + " server's own setting or 1MB..2TB, was " + maintenanceWorkMemKb + " kB");
        }
    }

    /** The statements that set it on a session; none for the server's own setting. */
    List<String> statements() {
        return maintenanceWorkMemKb == 0 ? List.of()
                : List.of("SET maintenance_work_mem = '" + maintenanceWorkMemKb + "kB';");
    }
}
