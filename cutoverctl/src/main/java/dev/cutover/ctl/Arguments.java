package dev.cutover.ctl;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A command's options as given, checked against what it accepts: {@code --name value}, {@code --name=value} or a
 * bare {@code --flag}. Everything wrong is a {@link UsageException} with a sentence that says what to type instead.
 */
final class Arguments {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private final String command;
    private final Map<String, String> values;

    private Arguments(String command, Map<String, String> values) {
        this.command = command;
        this.values = values;
    }

    static Arguments parse(String command, List<Option> accepted, List<String> args) {
        var byName = new LinkedHashMap<String, Option>();
        accepted.forEach(option -> byName.put(option.name(), option));
        var values = new LinkedHashMap<String, String>();
        for (int i = 0; i < args.size(); i++) {
            var arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "': " + command + " takes only options; "
                        + "see cutoverctl " + command + " --help");
            }
            var name = arg.substring(2);
            String inline = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                inline = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            var option = byName.get(name);
            if (option == null) {
                throw new UsageException("unknown option --" + name + " for " + command + "; see cutoverctl "
                        + command + " --help");
            }
            if (values.containsKey(name)) {
                throw new UsageException("--" + name + " is given twice; give it once");
            }
            if (!option.takesValue()) {
                if (inline != null) {
                    throw new UsageException("--" + name + " takes no value, but got '" + inline + "'");
                }
                values.put(name, "true");
            } else if (inline != null) {
                values.put(name, inline);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                values.put(name, args.get(++i));
            } else {
                throw new UsageException("--" + name + " needs a value: " + option.synopsis());
            }
        }
        return new Arguments(command, values);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    Optional<String> optional(String name) {
        var value = values.get(name);
        if (value != null && value.isBlank()) {
            throw new UsageException("--" + name + " must not be blank");
        }
        return Optional.ofNullable(value);
    }

    String required(String name) {
        return optional(name).orElseThrow(() -> new UsageException(command + " needs --" + name
                + "; see cutoverctl " + command + " --help"));
    }

    Optional<Long> positiveLong(String name) {
        return optional(name).map(value -> {
            try {
                long number = Long.parseLong(value);
                if (number > 0) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // falls through to the message below, which says what is expected
            }
            throw new UsageException("--" + name + " must be a whole number above 0, was '" + value + "'");
        });
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, a bare number of seconds, or ISO-8601 ({@code PT5S}). */
    Optional<Duration> duration(String name) {
        return optional(name).map(value -> {
            var text = value.trim().toLowerCase(Locale.ROOT);
            var matcher = DURATION.matcher(text);
            try {
                if (matcher.matches()) {
                    long amount = Long.parseLong(matcher.group(1));
                    var unit = matcher.group(2) == null ? "s" : matcher.group(2);
                    var duration = switch (unit) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofSeconds(amount);
                    };
                    if (!duration.isZero()) {
                        return duration;
                    }
                } else if (text.startsWith("pt")) {
                    var duration = Duration.parse(text);
                    if (duration.isPositive()) {
                        return duration;
                    }
                }
            } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
                // falls through to the message below, which says what is expected
            }
            throw new UsageException("--" + name + " must be a duration above 0 such as 500ms, 30s, 5m or PT1M, was '"
                    + value + "'");
        });
    }
}
