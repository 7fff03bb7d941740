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
        if (!(variables instanceof SystemEnvironmentPropertySource system) || system.getProperty(NAMES) == null) {
            return;
        }
        List<String> names = Arrays.stream(String.valueOf(system.getProperty(NAMES)).split(","))
                .map(String::strip).filter(name -> !name.isEmpty())
                // The longest first: notify_s_eu before notify_s.
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        Map<String, Object> rest = new LinkedHashMap<>(system.getSource());
        Map<String, Object> named = new HashMap<>();
        for (String variable : system.getPropertyNames()) {
            if (variable.startsWith(PREFIX) && !variable.equals(NAMES)) {
                property(variable, names).ifPresent(property -> named.put(property, rest.remove(variable)));
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

    private static String dotted(String part) {
        return part.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** After Spring has put the environment variables in place, before anything binds them. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
