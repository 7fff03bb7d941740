package dev.cutover.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import dev.cutover.events.Messages.MessageType;

class MessagesUnitTest {

    @Test
    void theCatalogueListsExactlyTheMessageSchemasInTheSources() throws IOException {
        List<String> files;
        try (Stream<Path> paths = Files.list(Path.of("src/main/avro"))) {
            files = paths.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".avsc"))
                    .map(name -> name.substring(0, name.length() - ".avsc".length()))
                    .toList();
        }

        assertThat(Messages.all()).extracting(MessageType::name).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void commandsAndEventsAreCountedAsTheCatalogueListsThem() {
        assertThat(Messages.all()).filteredOn(MessageType::isCommand).hasSize(30);
        assertThat(Messages.all()).filteredOn(MessageType::isEvent).hasSize(70);
        assertThat(Messages.all()).extracting(MessageType::fullName).doesNotHaveDuplicates();
    }

    @Test
    void aMessageIsEitherACommandOrAnEvent() {
        var flip = (FlipDns) SampleMessages.full(Messages.of(FlipDns.class));
        var flipped = (DnsFlipped) SampleMessages.full(Messages.of(DnsFlipped.class));

        assertThat(Messages.isCommand(flip)).isTrue();
        assertThat(Messages.isEvent(flip)).isFalse();
        assertThat(Messages.isEvent(flipped)).isTrue();
        assertThat(Messages.isCommand(flipped)).isFalse();
        assertThat(Messages.isCommand(SampleMessages.metadata())).isFalse();
        assertThat(Messages.isEvent(SampleMessages.metadata())).isFalse();
        assertThat(Messages.isCommand("dev.cutover.events.FlipDns")).isTrue();
        assertThat(Messages.isEvent("dev.cutover.events.DnsFlipped")).isTrue();
        assertThat(Messages.isCommand("dev.cutover.events.Nothing")).isFalse();
    }

    @Test
    void typesAreFoundByFullNameOnly() {
        assertThat(Messages.find("dev.cutover.events.StepFailed")).map(MessageType::javaClass).contains(StepFailed.class);
        assertThat(Messages.find("StepFailed")).isEmpty();
        assertThat(Messages.find("dev.cutover.events.Metadata")).isEmpty();
    }

    @Test
    void aClassThatIsNotAMessageIsRefusedByName() {
        assertThatThrownBy(() -> Messages.of(PreflightFinding.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dev.cutover.events.PreflightFinding is not a cutover message type");
    }

    @Test
    void everyMessageStartsWithMetadataInTheProjectNamespace() {
        assertThat(Messages.all()).allSatisfy(type -> {
            assertThat(type.schema().getNamespace()).isEqualTo("dev.cutover.events");
            assertThat(type.schema().getFields().getFirst().name()).isEqualTo("metadata");
            assertThat(type.schema().getFields().getFirst().schema()).isEqualTo(Metadata.getClassSchema());
        });
    }

    @Test
    void everyRecordFieldAndEnumIsDocumentedAndEveryEnumCanGrow() {
        var problems = new ArrayList<String>();
        var seen = new HashSet<String>();
        Messages.schemas().forEach(schema -> conventionProblems(schema, schema.getName(), seen, problems));

        assertThat(problems).as("schemas breaking the conventions in events/README.md").isEmpty();
    }

    @Test
    void everyOptionalValueIsANullFirstUnionDefaultingToNull() {
        var problems = new ArrayList<String>();
        Messages.schemas().forEach(schema -> schema.getFields().forEach(field -> {
            if (field.schema().getType() == Schema.Type.UNION) {
                var first = field.schema().getTypes().getFirst().getType();
                if (first != Schema.Type.NULL || field.schema().getTypes().size() != 2 || field.defaultVal() != JsonProperties.NULL_VALUE) {
                    problems.add(schema.getName() + "." + field.name());
                }
            }
        }));

        assertThat(problems).isEmpty();
    }

    private static void conventionProblems(Schema schema, String path, Set<String> seen, List<String> problems) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                if (blank(schema.getDoc())) {
                    problems.add(path + ": record has no doc");
                }
                for (var field : schema.getFields()) {
                    if (blank(field.doc())) {
                        problems.add(path + "." + field.name() + ": field has no doc");
                    }
                    conventionProblems(field.schema(), path + "." + field.name(), seen, problems);
                }
            }
            case ENUM -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                if (blank(schema.getDoc())) {
                    problems.add(path + ": enum has no doc");
                }
                if (schema.getEnumDefault() == null) {
                    problems.add(path + ": enum " + schema.getName() + " has no default symbol, so it cannot grow");
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> conventionProblems(branch, path, seen, problems));
            case ARRAY -> conventionProblems(schema.getElementType(), path + "[]", seen, problems);
            case MAP -> conventionProblems(schema.getValueType(), path + "{}", seen, problems);
            default -> {
            }
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
