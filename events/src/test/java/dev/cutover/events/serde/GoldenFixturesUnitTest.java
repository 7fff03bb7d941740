package dev.cutover.events.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.cutover.events.Messages;
import dev.cutover.events.Messages.MessageType;
import dev.cutover.events.Metadata;
import dev.cutover.events.SampleMessages;

/**
 * Decodes, with today's code, the bytes each type's first version wrote. A schema edited without keeping its released
 * version changes its fingerprint, and then these bytes no longer decode.
 */
class GoldenFixturesUnitTest {

    static final List<MessageType> TYPES = Messages.all();

    private final AvroMessageDeserializer deserializer = new AvroMessageDeserializer();

    @ParameterizedTest(name = "{0}")
    @FieldSource("TYPES")
    void theBytesWrittenByTheFirstVersionStillDecodeToTheValuesWritten(MessageType type) throws IOException {
        var bytes = resource(GoldenFixtures.binary(type));

        var decoded = deserializer.deserialize("golden", bytes);

        assertThat(decoded).isInstanceOf(type.javaClass());
        var metadata = (Metadata) decoded.get(decoded.getSchema().getField("metadata").pos());
        assertThat(metadata.getMessageId()).isEqualTo(SampleMessages.MESSAGE_ID);
        assertThat(metadata.getOccurredAt()).isEqualTo(SampleMessages.OCCURRED_AT);
        assertThat(metadata.getDatabase()).isEqualTo("orders");
        assertThat(decoded).isEqualTo(valuesWritten(type, bytes));
    }

    /** The fixture's JSON twin, read as its writer schema wrote it and resolved to the current schema. */
    private static SpecificRecord valuesWritten(MessageType type, byte[] bytes) throws IOException {
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        var writer = ReleasedSchemas.load().findByFingerprint(fingerprint);
        var reader = new SpecificDatumReader<SpecificRecord>(writer, type.schema(), SpecificData.getForSchema(type.schema()));
        try (InputStream json = GoldenFixturesUnitTest.class.getResourceAsStream("/golden/" + GoldenFixtures.json(type))) {
            assertThat(json).as("golden/%s (run GoldenFixtureWriter for a new type)", GoldenFixtures.json(type)).isNotNull();
            return reader.read(null, DecoderFactory.get().jsonDecoder(writer, json));
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GoldenFixturesUnitTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden/%s (run GoldenFixtureWriter for a new type)", name).isNotNull();
            return in.readAllBytes();
        }
    }
}
