package dev.cutover.sandbox.rehearsal;

/** Where the services and the broker run during a rehearsal. */
public enum Layout {

    /** Every service a Spring Boot application of its own, all in the rehearsal's JVM with the broker: fast to iterate. */
    ONE_JVM,

    /**
     * As in production: every service its own {@code java -jar} of its exec jar, the broker its own JVM, and the
     * client alone in the rehearsal's JVM.
     */
    PROCESSES;

    public static Layout parse(String value) {
        return switch (value) {
            case "one-jvm" -> ONE_JVM;
            case "processes" -> PROCESSES;
            default -> throw new IllegalArgumentException("--layout is one-jvm or processes, not '" + value + "'");
        };
    }
}
