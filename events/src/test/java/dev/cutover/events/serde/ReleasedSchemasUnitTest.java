package dev.cutover.events.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import dev.cutover.events.Messages;
import dev.cutover.events.StartMigration;

class ReleasedSchemasUnitTest {

    private static final ClassLoader LOADER = ReleasedSchemasUnitTest.class.getClassLoader();

    /** A made-up history in test resources: a StartMigration v1 from before the parallelism field existed. */
    private final ReleasedSchemas history = ReleasedSchemas.load(LOADER, "released-example/");
    private final Schema startMigrationV1 = history.releasedVersions(StartMigration.getClassSchema().getFullName()).getFirst();

    @Test
    void aMessageWrittenByAnOlderVersionDecodesIntoTheCurrentClassWithTheNewFieldsDefault() throws IOException {
        var metadataSchema = startMigrationV1.getField("metadata").schema();
        var metadata = new GenericRecordBuilder(metadataSchema)
                .set("messageId", "3f1b9c3e-6a0d-4f5e-9a51-0c8f2d7e4b10")
                .set("database", "orders")
                .set("occurredAt", 1_795_000_000_000L)
                .set("producer", "cutoverctl 0.0.1")
                .build();
        var old = new GenericRecordBuilder(startMigrationV1).set("metadata", metadata).set("operator", "ana").build();
        ByteBuffer written = new BinaryMessageEncoder<GenericData.Record>(GenericData.get(), startMigrationV1).encode(old);
        var bytes = new byte[written.remaining()];
        written.get(bytes);

        var decoded = new AvroMessageDeserializer(history).deserialize("cutover.commands", bytes);

        assertThat(decoded).isInstanceOfSatisfying(StartMigration.class, message -> {
            assertThat(message.getOperator()).isEqualTo("ana");
            assertThat(message.getParallelism()).isZero();
            assertThat(message.getMetadata().getProducer()).isEqualTo("cutoverctl 0.0.1");
        });
    }

    @Test
    void theOlderVersionIsFoundByItsFingerprintBesideTheCurrentOne() {
        assertThat(history.findByFingerprint(Fingerprints.of(startMigrationV1))).isEqualTo(startMigrationV1);
        assertThat(history.findByFingerprint(Fingerprints.of(StartMigration.getClassSchema())))
                .isEqualTo(StartMigration.getClassSchema());
        assertThat(history.all()).hasSize(Messages.all().size() + 1);
    }

    @Test
    void theShippedStoreKnowsTheCurrentSchemaOfEveryMessageType() {
        var shipped = ReleasedSchemas.load();

        assertThat(Messages.all()).allSatisfy(type ->
                assertThat(shipped.findByFingerprint(Fingerprints.of(type.schema()))).isEqualTo(type.schema()));
    }

    @Test
    void aReleasedFileHoldingAnotherTypeIsRefusedNamingTheFile() {
        assertThatThrownBy(() -> ReleasedSchemas.load(LOADER, "released-wrong-type/"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released-wrong-type/StartCutover/v1.avsc holds dev.cutover.events.StartMigration");
    }

    @Test
    void everyReleasedFileInTheSourcesIsLoadedSoNoVersionNumberIsSkipped() throws IOException {
        var root = Path.of("src/main/resources", ReleasedSchemas.RESOURCE_ROOT);
        var files = new ArrayList<String>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.filter(Files::isRegularFile).forEach(path -> files.add(root.relativize(path).toString()));
            }
        }
        var shipped = ReleasedSchemas.load();
        var loaded = new ArrayList<String>();
        for (var type : Messages.all()) {
            for (int version = 1; version <= shipped.releasedVersions(type.fullName()).size(); version++) {
                loaded.add(type.name() + "/v" + version + ".avsc");
            }
        }

        assertThat(loaded).as("files under %s; versions count from v1 without gaps", root)
                .containsExactlyInAnyOrderElementsOf(files);
    }
}
