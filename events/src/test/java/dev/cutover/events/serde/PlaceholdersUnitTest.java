package dev.cutover.events.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import dev.cutover.events.Messages;

class PlaceholdersUnitTest {

    @Test
    void everyMessageTypeHasAPlaceholderSoThatEveryTypeIsWarmedBeforeTheSwitch() {
        List<SpecificRecord> placeholders = Placeholders.ofEveryType();

        assertThat(placeholders).extracting(message -> message.getSchema().getFullName())
                .containsExactlyElementsOf(Messages.all().stream().map(type -> type.schema().getFullName()).toList());
    }

    @Test
    void everyPlaceholderIsWrittenAndReadBackAsItWas() {
        AvroMessageSerializer writer = new AvroMessageSerializer();
        AvroMessageDeserializer reader = new AvroMessageDeserializer();

        for (SpecificRecord placeholder : Placeholders.ofEveryType()) {
            assertThat(reader.deserialize("cutover.events", writer.serialize("cutover.events", placeholder)))
                    .isEqualTo(placeholder);
        }
    }
}
