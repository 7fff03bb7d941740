package dev.cutover.ctl;

/**
 * One {@code --name} a command accepts.
 *
 * @param value what to call its value in the help, or null for a flag that takes none
 */
record Option(String name, String value, String help) {

    static Option flag(String name, String help) {
        return new Option(name, null, help);
    }

    static Option valued(String name, String value, String help) {
        return new Option(name, value, help);
    }

    /** The same option, marked as one the command cannot do without (the synopsis shows it without brackets). */
    Option required() {
        return new Option(name, value, help + " (required)");
    }

    boolean takesValue() {
        return value != null;
    }

    String synopsis() {
        return "--" + name + (takesValue() ? " " + value : "");
    }
}
