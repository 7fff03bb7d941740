package dev.cutover.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnknownHostException;
import java.util.Map;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad command lines are refused before any connection to Kafka, so none is needed here. */
class UsageUnitTest {

    private static final String NO_KAFKA = "127.0.0.1:9";

    @Test
    void no_command_at_all_is_bad_usage_with_the_list_of_commands() {
        var result = Tool.run(NO_KAFKA);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("which command?", "start, abort, fallback, status, watch, timeline, tail");
    }

    @Test
    void an_unknown_command_is_bad_usage() {
        var result = Tool.run(NO_KAFKA, "rollback", "--cutover", "x");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown command 'rollback'");
    }

    @Test
    void an_unknown_migrate_command_is_bad_usage() {
        var result = Tool.run(NO_KAFKA, "migrate", "resume", "--migration", "m-1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown command 'migrate resume'", "migrate start");
    }

    @Test
    void help_lists_the_commands_and_exits_zero() {
        var result = Tool.run(NO_KAFKA, "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("start", "abort", "fallback", "status", "watch", "timeline", "tail", "migrate start",
                "migrate status", "migrate watch", "migrate abort", "--bootstrap-servers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"start", "abort", "fallback", "status", "watch", "timeline", "tail", "migrate start", "migrate status",
            "migrate watch", "migrate abort"})
    void every_command_has_help_with_its_options(String command) {
        var result = Tool.run(NO_KAFKA, (command + " --help").split(" "));

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("usage: cutoverctl " + command).contains("options:", "--bootstrap-servers");
        assertThat(result.err()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            start --database shop                                | --operator is required: $USER is not set
            abort --cutover c-1 --reason late                    | --operator is required: $USER is not set
            start --operator alice                               | start needs --database
            start --database shop --operator alice --timeout 5s  | --timeout only applies with --watch
            abort --cutover c-1 --operator alice                 | abort needs --reason
            status                                               | status needs --cutover
            status --cutover c-1 --cutover c-2                   | --cutover is given twice
            status --cutover                                     | --cutover needs a value
            status --cutover c-1 --verbose                       | unknown option --verbose for status
            status c-1                                           | unexpected argument 'c-1'
            watch --cutover c-1 --timeout soon                   | --timeout must be a duration
            timeline --cutover c-1 --json=yes                    | --json takes no value
            tail --topic orders                                  | --topic must be one of
            tail --topic cutover.events --max 0                  | --max must be a whole number above 0
            tail --topic cutover.events --idle-timeout -1s       | --idle-timeout must be a duration above 0
            timeline                                             | give either --cutover ID or --migration ID
            migrate start --operator alice                       | migrate start needs --database
            migrate start --database shop                        | --operator is required: $USER is not set
            migrate start --database shop --operator a --parallelism 0 | --parallelism must be a whole number above 0
            migrate start --database shop --operator a --verify most | --verify takes full or sampled
            migrate status                                       | give either --migration ID or --database NAME
            migrate status --migration m-1 --database shop       | give either --migration ID or --database NAME
            migrate watch                                        | migrate watch needs --migration
            migrate abort --operator bob                         | migrate abort needs --migration
            """)
    void bad_usage_exits_2_with_a_message_that_says_what_to_change(String commandLine, String message) {
        var result = Tool.run(NO_KAFKA, commandLine.strip().split(" +"));

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(message).contains("usage: cutoverctl");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void an_id_with_whitespace_is_refused_before_publishing() {
        var result = Tool.run(NO_KAFKA, "start", "--database", "shop", "--operator", "alice", "--cutover-id", "a b");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("without whitespace");
    }

    @Test
    void the_bootstrap_servers_option_wins_over_the_environment() {
        var result = Tool.run(Map.of(KafkaClients.ENVIRONMENT_VARIABLE, "127.0.0.1:9"), "status", "--bootstrap-servers",
                " ", "--cutover", "c-1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--bootstrap-servers must not be blank");
    }

    @Test
    void a_bootstrap_server_whose_host_does_not_resolve_is_named_as_such() {
        var result = Tool.run("nohost.invalid:9092", "status", "--cutover", "c-1");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).isEqualTo("cutoverctl status: Kafka at nohost.invalid:9092 cannot be reached: its"
                + " host name does not resolve; check --bootstrap-servers or $CUTOVER_KAFKA" + System.lineSeparator());
    }

    @Test
    void a_host_that_does_not_resolve_is_found_anywhere_in_the_causes() {
        var failure = new KafkaException("Failed to construct kafka producer",
                new IllegalStateException("lookup", new UnknownHostException("nohost.invalid")));

        assertThat(Cutoverctl.unresolvable(failure)).isTrue();
        assertThat(Cutoverctl.unresolvable(new KafkaException("Failed to construct kafka consumer",
                new ConfigException("Invalid url in bootstrap.servers: nohost")))).isFalse();
    }
}
