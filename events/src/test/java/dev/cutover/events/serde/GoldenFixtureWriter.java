package dev.cutover.events.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;

import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.cutover.events.Messages;
import dev.cutover.events.SampleMessages;

/**
 * Writes the golden fixture of every message type that has none yet, and never touches an existing one: a fixture
 * records what a released version wrote, so rewriting it would hide exactly the break it exists to catch.
 *
 * <p>Not a {@code *Test}, so a normal build never runs it. Run it after adding a message type:
 * {@code ./mvnw -B -q -pl events test -Dtest=GoldenFixtureWriter -Dgolden.write=true}, then commit the new files.
 */
class GoldenFixtureWriter {

    @Test
    @EnabledIfSystemProperty(named = "golden.write", matches = "true")
    void writesTheFixturesOfTypesThatHaveNone() throws IOException {
        Files.createDirectories(GoldenFixtures.SOURCE_DIRECTORY);
        var serializer = new AvroMessageSerializer();
        for (var type : Messages.all()) {
            var binary = GoldenFixtures.SOURCE_DIRECTORY.resolve(GoldenFixtures.binary(type));
            var json = GoldenFixtures.SOURCE_DIRECTORY.resolve(GoldenFixtures.json(type));
            if (Files.exists(binary) || Files.exists(json)) {
                assertThat(binary).as("a fixture comes as a pair").exists();
                assertThat(json).as("a fixture comes as a pair").exists();
                continue;
            }
            var message = SampleMessages.full(type);
            Files.write(binary, serializer.serialize("golden", message));
            Files.write(json, toJson(message));
        }
    }

    private static byte[] toJson(SpecificRecord message) throws IOException {
        var out = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().jsonEncoder(message.getSchema(), out, true);
        new SpecificDatumWriter<SpecificRecord>(message.getSchema(), SpecificData.getForSchema(message.getSchema()))
                .write(message, encoder);
        encoder.flush();
        out.write('\n');
        return out.toByteArray();
    }
}
