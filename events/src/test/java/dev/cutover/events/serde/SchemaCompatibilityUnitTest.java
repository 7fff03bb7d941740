package dev.cutover.events.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import dev.cutover.events.Messages;
import dev.cutover.events.StartMigration;

class SchemaCompatibilityUnitTest {

    @Test
    void theCurrentSchemaOfEveryTypeReadsEveryReleasedVersionOfIt() {
        var released = ReleasedSchemas.load();
        var problems = new ArrayList<String>();
        for (var type : Messages.all()) {
            var writers = new LinkedHashMap<String, Schema>();
            var versions = released.releasedVersions(type.fullName());
            for (int i = 0; i < versions.size(); i++) {
                writers.put(type.name() + " v" + (i + 1), versions.get(i));
            }
            writers.put(type.name() + " current", type.schema());
            problems.addAll(CompatibilityCheck.problems(type.schema(), writers));
        }

        assertThat(problems)
                .as("current schemas that cannot read a released version; add defaults instead of breaking them")
                .isEmpty();
    }

    @Test
    void theCheckCatchesAFieldAddedWithoutADefault() {
        var withoutDefault = edit(StartMigration.getClassSchema(),
                "\"fields\":[", "\"fields\":[{\"name\":\"priority\",\"type\":\"int\",\"doc\":\"new\"},");

        assertThat(CompatibilityCheck.problems(withoutDefault, Map.of("StartMigration v1", StartMigration.getClassSchema())))
                .singleElement(STRING)
                .startsWith("StartMigration v1: READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("priority");
    }

    @Test
    void theCheckCatchesAFieldWhoseTypeChanged() {
        var operatorAsInt = edit(StartMigration.getClassSchema(),
                "{\"name\":\"operator\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}",
                "{\"name\":\"operator\",\"type\":\"int\"");

        assertThat(CompatibilityCheck.problems(operatorAsInt, Map.of("StartMigration v1", StartMigration.getClassSchema())))
                .singleElement(STRING)
                .startsWith("StartMigration v1: TYPE_MISMATCH")
                .contains("operator");
    }

    @Test
    void theCheckAcceptsAFieldAddedWithADefault() {
        var withDefault = edit(StartMigration.getClassSchema(),
                "\"fields\":[", "\"fields\":[{\"name\":\"priority\",\"type\":\"int\",\"doc\":\"new\",\"default\":0},");

        assertThat(CompatibilityCheck.problems(withDefault, Map.of("StartMigration v1", StartMigration.getClassSchema())))
                .isEmpty();
    }

    private static Schema edit(Schema schema, String find, String replacement) {
        var json = schema.toString();
        var at = json.indexOf(find);
        assertThat(at).as("position of the edit's anchor").isNotNegative();
        return new Schema.Parser().parse(json.substring(0, at) + replacement + json.substring(at + find.length()));
    }
}
