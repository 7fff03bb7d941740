package dev.cutover.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's settings ({@code cutover.console.*}). The brokers are Spring Kafka's
 * ({@code spring.kafka.bootstrap-servers}, which {@code cutover.console.bootstrap-servers} sets when given), so the
 * reader and the writer of commands go to the same cluster and log in alike.
 *
 * @param lagPoints     how many lag reports per database the chart keeps
 * @param streamTimeout how long one server-sent-events stream stays open; the browser opens a new one after it
 * @param usersFile     who may log in, with a password hash and roles ({@code login/UsersFile}); without it the page
 *                      is read-only and open to anyone, and there is nothing to act with
 */
@ConfigurationProperties("cutover.console")
public record ConsoleSettings(
        @DefaultValue("120") int lagPoints,
        @DefaultValue("30m") Duration streamTimeout,
        Path usersFile) {

    public ConsoleSettings {
        if (lagPoints < 2) {
            throw new IllegalArgumentException("cutover.console.lag-points must be at least 2 to draw a line, was "
                    + lagPoints);
        }
        if (streamTimeout.isNegative() || streamTimeout.isZero()) {
            throw new IllegalArgumentException("cutover.console.stream-timeout must be positive, e.g. 30m, was "
                    + streamTimeout);
        }
        if (usersFile != null && !Files.isReadable(usersFile)) {
            throw new IllegalArgumentException("cutover.console.users-file " + usersFile + " is not a readable file:"
                    + " give the file of name:{bcrypt}hash:roles lines (console/README.md, \"Logging in and acting\"),"
                    + " or leave the setting out for a read-only console open to anyone");
        }
    }

    /** Whether people log in, and operators may act. */
    public boolean loginRequired() {
        return usersFile != null;
    }
}
