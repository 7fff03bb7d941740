package dev.cutover.events.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import dev.cutover.events.FlipDns;
import dev.cutover.events.Messages;
import dev.cutover.events.SampleMessages;
import dev.cutover.events.StartCutover;

class AvroMessageDeserializerUnitTest {

    private final AvroMessageSerializer serializer = new AvroMessageSerializer();
    private final AvroMessageDeserializer deserializer = new AvroMessageDeserializer();
    private final FlipDns flip = (FlipDns) SampleMessages.full(Messages.of(FlipDns.class));
    private final byte[] payload = serializer.serialize("cutover.commands", flip);

    @Test
    void unknownFingerprintIsRejectedWithTheFingerprintAndWhatToDoInTheMessage() {
        var unknown = payload.clone();
        // Single-object encoding stores the fingerprint little-endian in bytes 2..9.
        for (int i = 0; i < 8; i++) {
            unknown[2 + i] = (byte) (i + 1);
        }

        assertThatThrownBy(() -> deserializer.deserialize("cutover.commands", unknown))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("'cutover.commands'")
                .hasMessageContaining("upgrade this consumer")
                .hasMessageContaining("0x0807060504030201")
                .satisfies(e -> assertThat(((UndecodableMessageException) e).fingerprint()).hasValue(0x0807060504030201L));
    }

    @Test
    void unknownFingerprintMessageAlsoNamesTheTypeHeader() {
        var unknown = payload.clone();
        unknown[5] ^= 0x55;
        var headers = new RecordHeaders().add(MessageHeaders.TYPE, "dev.cutover.events.FlipDns".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> deserializer.deserialize("cutover.commands", headers, unknown))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("cutover-type 'dev.cutover.events.FlipDns'")
                .hasMessageContaining("does not know schema fingerprint 0x");
    }

    @Test
    void aPayloadThatIsNotSingleObjectEncodedIsRejectedShowingItsFirstBytes() {
        var json = "{\"record\":\"db.example.com\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> deserializer.deserialize("cutover.events", json))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("'cutover.events'")
                .hasMessageContaining("not Avro single-object encoded")
                .hasMessageContaining("starts with 7B 22 72 65");
    }

    @Test
    void anEmptyPayloadIsRejectedNotTakenForATombstone() {
        assertThatThrownBy(() -> deserializer.deserialize("cutover.events", new byte[0]))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("empty payload");
    }

    @Test
    void aPayloadCutInsideTheSingleObjectHeaderIsRejectedAsTruncated() {
        var cut = Arrays.copyOf(payload, 6);

        assertThatThrownBy(() -> deserializer.deserialize("cutover.events", cut))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("6 bytes");
    }

    @Test
    void everyPayloadCutInsideTheBodyIsRejectedAsTruncatedOrCorrupt() {
        for (int length = 10; length < payload.length; length++) {
            var cut = Arrays.copyOf(payload, length);

            assertThatThrownBy(() -> deserializer.deserialize("cutover.commands", cut))
                    .as("payload cut to %d of %d bytes", length, payload.length)
                    .isInstanceOf(UndecodableMessageException.class)
                    .hasMessageContaining("FlipDns body is truncated or corrupt")
                    .hasMessageContaining("0x" + Fingerprints.hex(FlipDns.getClassSchema()));
        }
    }

    @Test
    void bytesLeftAfterACompleteMessageAreRejectedAsCorrupt() {
        var longer = Arrays.copyOf(payload, payload.length + 3);

        assertThatThrownBy(() -> deserializer.deserialize("cutover.commands", longer))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("3 bytes remain after a complete message");
    }

    @Test
    void aMissingTypeHeaderIsFineBecauseThePayloadsFingerprintDecidesTheType() {
        var decoded = deserializer.deserialize("cutover.commands", new RecordHeaders(), payload);

        assertThat(decoded).isEqualTo(flip);
    }

    @Test
    void aTypeHeaderThatContradictsThePayloadIsRejectedNamingBoth() {
        var headers = new RecordHeaders().add(MessageHeaders.TYPE,
                StartCutover.getClassSchema().getFullName().getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> deserializer.deserialize("cutover.commands", headers, payload))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("cutover-type 'dev.cutover.events.StartCutover'")
                .hasMessageContaining("contradicts the payload, whose fingerprint is dev.cutover.events.FlipDns");
    }

    @Test
    void aFingerprintHeaderThatContradictsThePayloadIsRejectedNamingBoth() {
        var headers = new RecordHeaders().add(MessageHeaders.FINGERPRINT,
                Fingerprints.hex(StartCutover.getClassSchema()).getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> deserializer.deserialize("cutover.commands", headers, payload))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("cutover-fingerprint header says " + Fingerprints.hex(StartCutover.getClassSchema()))
                .hasMessageContaining("written with 0x" + Fingerprints.hex(FlipDns.getClassSchema()));
    }

    @Test
    void aNullPayloadIsATombstoneAndDecodesToNull() {
        assertThat(deserializer.deserialize("cutover.events", null)).isNull();
        assertThat(deserializer.deserialize("cutover.events", new RecordHeaders(), (byte[]) null)).isNull();
        assertThat(serializer.serialize("cutover.events", null)).isNull();
    }

    @Test
    void undecodableMessagesAreKafkaSerializationExceptionsSoErrorHandlersCatchThem() {
        assertThat(new UndecodableMessageException("t", null, null, "why", null)).isInstanceOf(SerializationException.class);
    }

    @Test
    void writingARecordThatIsNotAMessageTypeIsRefused() {
        assertThatThrownBy(() -> serializer.serialize("cutover.events", SampleMessages.metadata()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot write dev.cutover.events.Metadata to topic 'cutover.events': it is not a cutover message type");
    }

    @Test
    void writingAMessageWithARequiredValueMissingIsRefusedNamingTheType() {
        var incomplete = new FlipDns();
        incomplete.setMetadata(SampleMessages.metadata());

        assertThatThrownBy(() -> serializer.serialize("cutover.commands", incomplete))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot write dev.cutover.events.FlipDns to topic 'cutover.commands'");
    }
}
