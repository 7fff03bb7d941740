package dev.cutover.schema.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.cutover.schema.section.CutoverSchema;

/** Compares two catalogs object by object, after {@link Normalisation}; cutover's own schema is not compared. */
public final class SchemaComparison {

    private SchemaComparison() {
    }

    /**
     * @param source the source's objects
     * @param target the target's objects
     * @return every difference, ordered by object name then kind; empty when the schemas match
     */
    public static List<Difference> compare(List<SchemaObject> source, List<SchemaObject> target) {
        Set<String> schemas = new HashSet<>();
        source.forEach(object -> schemas.add(object.schema()));
        target.forEach(object -> schemas.add(object.schema()));
        Map<String, SchemaObject> left = byKey(source);
        Map<String, SchemaObject> right = byKey(target);
        List<Difference> differences = new ArrayList<>();
        left.forEach((key, object) -> {
            SchemaObject other = right.get(key);
            if (other == null) {
                differences.add(new Difference("MISSING_" + object.kind(), object.name(), object.definition(), null));
            } else if (!Objects.equals(Normalisation.normalise(object.kind(), object.definition(), schemas),
                    Normalisation.normalise(other.kind(), other.definition(), schemas))) {
                differences.add(new Difference(object.kind() + "_DIFFERS", object.name(), object.definition(),
                        other.definition()));
            }
        });
        right.forEach((key, object) -> {
            if (!left.containsKey(key)) {
                differences.add(new Difference("EXTRA_" + object.kind(), object.name(), null, object.definition()));
            }
        });
        differences.sort(Comparator.comparing(Difference::object).thenComparing(Difference::kind));
        return differences;
    }

    private static Map<String, SchemaObject> byKey(List<SchemaObject> objects) {
        Map<String, SchemaObject> map = new LinkedHashMap<>();
        objects.stream()
                .filter(object -> !object.schema().equals(CutoverSchema.NAME))
                .forEach(object -> map.put(object.key(), object));
        return map;
    }
}
