package dev.cutover.ctl;

import java.io.PrintStream;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The ops command line of cutover: {@code cutoverctl <command> [options]}. A plain program on purpose: it starts in
 * a fraction of a second, which a Spring context would not.
 */
public final class Cutoverctl {

    private static final List<Command> COMMANDS = List.of(new StartCommand(), new AbortCommand(), new FallbackCommand(),
            new StatusCommand(), new WatchCommand(), new TimelineCommand(), new TailCommand(), new MigrateStartCommand(),
            new MigrateStatusCommand(), new MigrateWatchCommand(), new MigrateAbortCommand());

    /** The first word of the commands about migrations ({@code migrate start}, ...). */
    private static final String MIGRATE = "migrate";

    private static final Option BOOTSTRAP_SERVERS = Option.valued("bootstrap-servers", "HOST:PORT[,...]",
            "Kafka to talk to (default: $" + KafkaClients.ENVIRONMENT_VARIABLE + ", else "
                    + KafkaClients.DEFAULT_BOOTSTRAP_SERVERS + ")");
    private static final Option KAFKA_CONFIG = Option.valued("kafka-config", "FILE",
            "Kafka client settings (SASL user, TLS) as a properties file (default: $"
                    + KafkaClients.CONFIG_ENVIRONMENT_VARIABLE + ")");
    private static final Option HELP = Option.flag("help", "show this help");

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final Clock clock;
    private final Interrupts interrupts;

    Cutoverctl(PrintStream out, PrintStream err, Map<String, String> environment, Clock clock, Interrupts interrupts) {
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.clock = clock;
        this.interrupts = interrupts;
    }

    public static void main(String[] args) {
        var done = new CountDownLatch(1);
        var tool = new Cutoverctl(System.out, System.err, System.getenv(), Clock.systemUTC(), new ShutdownHookInterrupts(done));
        int code;
        try {
            code = tool.run(args);
        } finally {
            done.countDown();
        }
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line inside this JVM (the sandbox's rehearsals do) and returns its exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return new Cutoverctl(out, err, System.getenv(), Clock.systemUTC(), Interrupts.NONE).run(args);
    }

    /** Runs one command line and returns the exit code; never exits the JVM, so tests can call it. */
    int run(String... args) {
        var list = Arrays.asList(args);
        if (list.isEmpty()) {
            err.println("cutoverctl: which command? " + commandNames());
            overview(err);
            return ExitCodes.USAGE;
        }
        var first = list.getFirst();
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            overview(out);
            return ExitCodes.OK;
        }
        int words = first.equals(MIGRATE) && list.size() > 1 && !list.get(1).startsWith("-") ? 2 : 1;
        var name = String.join(" ", list.subList(0, words));
        var command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst();
        if (command.isEmpty() && first.equals(MIGRATE) && words == 1 && (list.contains("--help") || list.contains("-h"))) {
            overview(out);
            return ExitCodes.OK;
        }
        if (command.isEmpty()) {
            err.println("cutoverctl: unknown command '" + name + "'; the commands are " + commandNames()
                    + "; see cutoverctl --help");
            return ExitCodes.USAGE;
        }
        return run(command.get(), list.subList(words, list.size()));
    }

    private int run(Command command, List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            help(command, out);
            return ExitCodes.OK;
        }
        Session session;
        Arguments arguments;
        try {
            var options = new ArrayList<>(command.options());
            options.add(BOOTSTRAP_SERVERS);
            options.add(KAFKA_CONFIG);
            options.add(HELP);
            arguments = Arguments.parse(command.name(), options, args);
            var servers = arguments.optional(BOOTSTRAP_SERVERS.name())
                    .or(() -> Optional.ofNullable(environment.get(KafkaClients.ENVIRONMENT_VARIABLE)).filter(s -> !s.isBlank()))
                    .orElse(KafkaClients.DEFAULT_BOOTSTRAP_SERVERS);
            var settings = arguments.optional(KAFKA_CONFIG.name())
                    .or(() -> Optional.ofNullable(environment.get(KafkaClients.CONFIG_ENVIRONMENT_VARIABLE)).filter(s -> !s.isBlank()))
                    .map(file -> KafkaClients.settingsFrom(Path.of(file)))
                    .orElse(Map.of());
            session = new Session(out, err, new KafkaClients(servers, KafkaClients.DEFAULT_TIMEOUT, settings), clock, interrupts,
                    Optional.ofNullable(environment.get("USER")).filter(user -> !user.isBlank()));
        } catch (UsageException e) {
            return usage(command, e);
        }
        try {
            return command.run(arguments, session);
        } catch (UsageException e) {
            return usage(command, e);
        } catch (TimeoutException e) {
            err.println("cutoverctl " + command.name() + ": Kafka at " + session.kafka().bootstrapServers()
                    + " did not answer within " + session.kafka().timeout().toSeconds() + " s (" + e.getMessage()
                    + "); check --bootstrap-servers or $" + KafkaClients.ENVIRONMENT_VARIABLE);
            return ExitCodes.KAFKA;
        } catch (AuthenticationException e) {
            err.println("cutoverctl " + command.name() + ": Kafka at " + session.kafka().bootstrapServers()
                    + " did not accept the login (" + e.getMessage() + "); check the user and password in --kafka-config"
                    + " or $" + KafkaClients.CONFIG_ENVIRONMENT_VARIABLE);
            return ExitCodes.KAFKA;
        } catch (AuthorizationException e) {
            err.println("cutoverctl " + command.name() + ": Kafka at " + session.kafka().bootstrapServers()
                    + " refused " + session.kafka().saslUser().map(user -> "the user " + user).orElse("this client")
                    + " (" + e.getMessage() + "): writing commands needs an operator's ACL (WRITE on cutover.commands),"
                    + " reading needs READ on cutover.events; ask whoever runs the cluster");
            return ExitCodes.KAFKA;
        } catch (KafkaException e) {
            err.println("cutoverctl " + command.name() + ": Kafka at " + session.kafka().bootstrapServers()
                    + (unresolvable(e) ? " cannot be reached: its host name does not resolve; check --bootstrap-servers"
                            + " or $" + KafkaClients.ENVIRONMENT_VARIABLE : " failed: " + e.getMessage()));
            return ExitCodes.KAFKA;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The client could not be made because no bootstrap server's name resolves: Kafka says so only in the cause of
     * its "Failed to construct kafka consumer".
     */
    static boolean unresolvable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException || cause instanceof ConfigException config
                    && config.getMessage() != null && config.getMessage().startsWith("No resolvable bootstrap urls")) {
                return true;
            }
        }
        return false;
    }

    private int usage(Command command, UsageException e) {
        err.println("cutoverctl " + command.name() + ": " + e.getMessage());
        err.println("usage: " + synopsis(command));
        return ExitCodes.USAGE;
    }

    private static String commandNames() {
        return String.join(", ", COMMANDS.stream().map(Command::name).toList());
    }

    private static void overview(PrintStream to) {
        to.println("usage: cutoverctl <command> [options]   (cutoverctl <command> --help for its options)");
        to.println();
        to.println("commands:");
        COMMANDS.forEach(command -> to.printf("  %-14s %s%n", command.name(), command.summary()));
        to.println();
        to.println("every command takes:");
        to.printf("  %-34s %s%n", BOOTSTRAP_SERVERS.synopsis(), BOOTSTRAP_SERVERS.help());
        to.printf("  %-34s %s%n", KAFKA_CONFIG.synopsis(), KAFKA_CONFIG.help());
        to.println();
        to.println("exit codes: 0 ok, 1 cutover or migration failed or already over, 2 bad usage,");
        to.println("            3 not found or still running, 4 Kafka failed, 130 interrupted");
    }

    private static void help(Command command, PrintStream to) {
        to.println("usage: " + synopsis(command));
        to.println();
        to.println(command.summary());
        to.println();
        command.description().forEach(to::println);
        to.println();
        to.println("options:");
        var options = new ArrayList<>(command.options());
        options.add(BOOTSTRAP_SERVERS);
        options.add(KAFKA_CONFIG);
        options.add(HELP);
        options.forEach(option -> to.printf("  %-34s %s%n", option.synopsis(), option.help()));
    }

    private static String synopsis(Command command) {
        var text = new StringBuilder("cutoverctl ").append(command.name());
        for (var option : command.options()) {
            boolean required = option.help().endsWith("(required)");
            text.append(' ').append(required ? "" : "[").append(option.synopsis()).append(required ? "" : "]");
        }
        return text.append(" [--bootstrap-servers HOST:PORT] [--kafka-config FILE]").toString();
    }
}
