package dev.cutover.events.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.cutover.events.Messages;
import dev.cutover.events.Messages.MessageType;
import dev.cutover.events.SampleMessages;

class RoundTripUnitTest {

    static final List<MessageType> TYPES = Messages.all();

    private final AvroMessageSerializer serializer = new AvroMessageSerializer();
    private final AvroMessageDeserializer deserializer = new AvroMessageDeserializer();

    @ParameterizedTest(name = "{0}")
    @FieldSource("TYPES")
    void everyMessageComesBackEqualWithEveryOptionalValueSet(MessageType type) {
        var message = SampleMessages.full(type);
        var headers = new RecordHeaders();

        var decoded = deserializer.deserialize("cutover.events", headers, serializer.serialize("cutover.events", headers, message));

        assertThat(decoded).isInstanceOf(type.javaClass()).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TYPES")
    void everyMessageComesBackEqualWithEveryOptionalValueEmpty(MessageType type) {
        var message = SampleMessages.minimal(type);

        var decoded = deserializer.deserialize("cutover.events", serializer.serialize("cutover.events", message));

        assertThat(decoded).isInstanceOf(type.javaClass()).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TYPES")
    void headersNameTheTypeAndTheFingerprintOfThePayload(MessageType type) {
        var headers = new RecordHeaders();

        var payload = serializer.serialize("cutover.commands", headers, SampleMessages.full(type));

        assertThat(text(headers, MessageHeaders.TYPE)).isEqualTo(type.fullName());
        assertThat(text(headers, MessageHeaders.FINGERPRINT))
                .isEqualTo(Fingerprints.hex(type.schema()))
                .matches("[0-9a-f]{16}");
        assertThat(payload).startsWith(0xC3, 0x01);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TYPES")
    void serializingTheSameRecordTwiceLeavesOneHeaderOfEachName(MessageType type) {
        var headers = new RecordHeaders();
        var message = SampleMessages.full(type);

        serializer.serialize("cutover.events", headers, message);
        serializer.serialize("cutover.events", headers, message);

        assertThat(headers.headers(MessageHeaders.TYPE)).hasSize(1);
        assertThat(headers.headers(MessageHeaders.FINGERPRINT)).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TYPES")
    void aRecordSentAgainAfterKafkaMadeItsHeadersReadOnlyStillSerializes(MessageType type) {
        var headers = new RecordHeaders();
        var message = SampleMessages.full(type);
        var first = serializer.serialize("cutover.events", headers, message);
        headers.setReadOnly();

        var second = serializer.serialize("cutover.events", headers, message);

        assertThat(second).isEqualTo(first);
        assertThat(text(headers, MessageHeaders.TYPE)).isEqualTo(type.fullName());
    }

    private static String text(RecordHeaders headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
