package dev.cutover.sandbox;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import dev.cutover.sandbox.plain.PlainRehearsal;
import dev.cutover.sandbox.rehearsal.Rehearsal;
import dev.cutover.sandbox.rehearsal.RehearsalOptions;

/** {@code --method}: which cutover a rehearsal runs, or {@code --compare}: both, alternately. */
enum Method {
    SAGA, PLAIN, COMPARE;

    /** Takes {@code --method saga|plain} and {@code --compare} out of the arguments; the saga when neither is given. */
    static Method take(List<String> args) {
        Method method = SAGA;
        int index = args.indexOf("--method");
        if (index >= 0) {
            if (index + 1 >= args.size()) {
                throw new IllegalArgumentException("--method needs a value: saga or plain");
            }
            String value = args.remove(index + 1);
            args.remove(index);
            method = switch (value.toLowerCase(Locale.ROOT)) {
                case "saga" -> SAGA;
                case "plain" -> PLAIN;
                default -> throw new IllegalArgumentException("--method is saga or plain, got '" + value + "'");
            };
        }
        if (args.remove("--compare")) {
            if (index >= 0) {
                throw new IllegalArgumentException("--compare runs both methods: drop --method");
            }
            method = COMPARE;
        }
        return method;
    }

    /** A rehearsal of this method; COMPARE has none of its own. */
    Rehearsal rehearsal(RehearsalOptions options, PrintStream out) {
        return switch (this) {
            case SAGA -> new Rehearsal(options, out);
            case PLAIN -> PlainRehearsal.rehearsal(options, out);
            case COMPARE -> throw new IllegalStateException("--compare runs SAGA and PLAIN in turn");
        };
    }
}
