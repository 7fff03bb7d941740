package dev.cutover.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class MetadataFactoryUnitTest {

    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
    private final MetadataFactory factory = new MetadataFactory("dns-switcher", Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anAnswerBelongsToTheSameCutoverAndNamesTheMessageItAnswers() {
        var cause = SampleMessages.metadata();

        var answer = factory.answering(cause);

        assertThat(answer.getDatabase()).isEqualTo(cause.getDatabase());
        assertThat(answer.getCutoverId()).isEqualTo(cause.getCutoverId());
        assertThat(answer.getMigrationId()).isEqualTo(cause.getMigrationId());
        assertThat(answer.getCausationId()).isEqualTo(cause.getMessageId().toString());
        assertThat(answer.getMessageId()).isNotEqualTo(cause.getMessageId());
        assertThat(answer.getProducer()).isEqualTo("dns-switcher");
        assertThat(answer.getOccurredAt()).isEqualTo(NOW);
    }

    @Test
    void everyMessageGetsItsOwnId() {
        assertThat(factory.forCutover("orders", "c-1").getMessageId())
                .isNotEqualTo(factory.forCutover("orders", "c-1").getMessageId());
    }

    @Test
    void aMessageThatStartsAMigrationHasNoCauseAndNoCutover() {
        var metadata = factory.forMigration("orders", "m-7");

        assertThat(metadata.getMigrationId()).isEqualTo("m-7");
        assertThat(metadata.getCutoverId()).isNull();
        assertThat(metadata.getCausationId()).isNull();
    }

    @Test
    void aBlankDatabaseIsRefusedByName() {
        assertThatThrownBy(() -> factory.forCutover(" ", "c-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database must not be blank");
    }
}
