package dev.cutover.replicator;

import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether replicator instances share full loads, under {@code cutover.replicator.sharing}.
 *
 * @param enabled  on: the instance that gets {@code CopyData} hands the load's tasks out on
 *                 {@code replicator.load-tasks} and keeps the snapshot open until every one is answered, and this
 *                 instance's {@code workers} take tasks of any instance's load; off: the instance that gets
 *                 {@code CopyData} copies everything itself. Give every instance the same value
 * @param instance this instance's name in its sessions' {@code application_name} ({@code cutover-replicator-<name>})
 *                 and in its answers; by default the process id and a random suffix
 */
@ConfigurationProperties("cutover.replicator.sharing")
record LoadSharingSettings(@DefaultValue("false") boolean enabled, @DefaultValue("") String instance) {

    /** Letters, digits, dots, dashes, underscores; short enough for {@code application_name} (63 bytes). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,40}");

    LoadSharingSettings {
        if (instance == null || instance.isBlank()) {
            instance = ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
        if (!NAME.matcher(instance).matches()) {
            throw new IllegalArgumentException("cutover.replicator.sharing.instance must be 1 to 40 letters, digits,"
                    + " dots, dashes or underscores, e.g. replicator-2, was '" + instance + "'");
        }
    }
}
