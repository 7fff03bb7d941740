package dev.cutover.platform;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Lets environment variables configure a database whose name holds an underscore. Spring reads every {@code _} of a
 * variable's name as a dot, so {@code CUTOVER_DATABASES_NOTIFY_S_HOST} would configure a database {@code notify} (with
 * a property {@code s.host}). Names listed in {@code CUTOVER_DATABASE_NAMES} (comma-separated, e.g.
 * {@code notify_s,billing_eu}) are recognised in every {@code CUTOVER_} variable instead:
 * {@code CUTOVER_DATABASES_NOTIFY_S_HOST} becomes {@code cutover.databases[notify_s].host},
 * {@code CUTOVER_SAGA_DNS_NOTIFY_S_RECORD} {@code cutover.saga.dns[notify_s].record}, and so on; the variables it reads
 * are no longer seen under their split names. Names without an underscore need no listing.
 */
public class DatabaseNamesFromEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String NAMES = "CUTOVER_DATABASE_NAMES";
    static final String SOURCE_NAME = "cutoverDatabaseNames";

    private static final String PREFIX = "CUTOVER_";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String environmentSource = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
        PropertySource<?> variables = environment.getPropertySources().get(environmentSource);
        if (!(variables instanceof SystemEnvironmentPropertySource system)) {
            return;
        }
        Object listed = system.getProperty(NAMES);
        List<String> names = Arrays.stream(String.valueOf(listed == null ? "" : listed).split(","))
                .map(String::strip).filter(name -> !name.isEmpty())
                // The longest first: notify_s_eu before notify_s.
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        Map<String, Object> rest = new LinkedHashMap<>(system.getSource());
        Map<String, Object> named = new HashMap<>();
        for (String variable : system.getPropertyNames()) {
            if (variable.startsWith(PREFIX) && !variable.equals(NAMES)) {
                Optional<String> property = property(variable, names);
                property.ifPresent(name -> named.put(name, rest.remove(variable)));
                if (property.isEmpty()) {
                    refuseUnlisted(variable);
                }
            }
        }
        if (!named.isEmpty()) {
            environment.getPropertySources().addBefore(environmentSource, new MapPropertySource(SOURCE_NAME, named));
            environment.getPropertySources().replace(environmentSource,
                    new SystemEnvironmentPropertySource(environmentSource, rest));
        }
    }

    /** {@code CUTOVER_SAGA_DNS_NOTIFY_S_RECORD} with {@code notify_s} listed: {@code cutover.saga.dns[notify_s].record}. */
    static Optional<String> property(String variable, List<String> names) {
        for (String name : names) {
            String marker = "_" + name.toUpperCase(Locale.ROOT) + "_";
            int at = variable.indexOf(marker);
            if (at > 0) {
                return Optional.of(dotted(variable.substring(0, at)) + "[" + name + "]."
                        + dotted(variable.substring(at + marker.length())));
            }
        }
        return Optional.empty();
    }

    /** Where a database's own settings begin, in a {@code CUTOVER_DATABASES_<name>_...} variable. */
    private static final List<String> DATABASE_SETTINGS = List.of("_SOURCE_", "_TARGET_", "_APP_ROLES", "_APPROLES",
            "_SCHEMAS", "_EXCLUDE_SCHEMAS", "_EXCLUDESCHEMAS", "_CREATE_MISSING_ROLES", "_CREATEMISSINGROLES",
            "_REPLICATION_", "_FALLBACK_");
    private static final String DATABASES = PREFIX + "DATABASES_";

    /**
     * A {@code CUTOVER_DATABASES_} variable of a name with an underscore that is not listed would configure nothing
     * (Spring would read {@code BILLING_APP_SOURCE_HOST} as a database {@code billing} with a property
     * {@code app.source.host}), and the database would be found missing only when a migration or a cutover of it is
     * refused: the service stops at start-up instead, saying what to list.
     */
    static void refuseUnlisted(String variable) {
        if (!variable.startsWith(DATABASES)) {
            return;
        }
        String rest = variable.substring(DATABASES.length() - 1);
        int setting = DATABASE_SETTINGS.stream().mapToInt(marker -> rest.indexOf(marker)).filter(at -> at > 0).min()
                .orElse(-1);
        if (setting > 0 && rest.substring(1, setting).contains("_")) {
            String name = rest.substring(1, setting).toLowerCase(Locale.ROOT);
            throw new IllegalStateException("environment variable " + variable + " configures database " + name
                    + ", whose name has an underscore, but " + NAMES + " does not list it: add it (" + NAMES + "="
                    + name + ", comma-separated with any others), or Spring reads the variable as settings of a"
                    + " database " + name.substring(0, name.indexOf('_')) + " and " + name + " is not configured");
        }
    }

    private static String dotted(String part) {
        return part.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** After Spring has put the environment variables in place, before anything binds them. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
