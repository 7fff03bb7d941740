package dev.cutover.cutover.fence;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cutover.cutover.runner.LocalParticipants;
import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.DatabasesSettings;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FenceSettings.class)
class FenceConfiguration {

    /**
     * The fence answers outside Kafka transactions, as the other participants do: an answer is visible once the
     * broker has it, and the canary, which the saga sends together with the fence, is written right after the fence
     * instead of after a commit. Every command of the fence is idempotent, so one redelivered after a crash changes
     * nothing, and the saga takes a repeated answer for the redelivery it is (decision 32).
     */
    @Bean
    FenceParticipant fenceParticipant(Clock clock, DatabasesSettings databases, FenceSettings settings,
            KafkaProperties kafka, @Value("${spring.application.name}") String service) {
        return new FenceParticipant(new Fence(clock), databases, settings,
                MessagePublisher.withoutTransactions(kafka, service, clock));
    }

    /** Named in {@link FenceListener}'s {@code containerPostProcessor}. */
    @Bean
    FenceWatchers fenceWatchers(FenceParticipant participant) {
        return new FenceWatchers(participant);
    }

    /**
     * The fence's commands the saga in this process commits, carried out at once (decision 63) where this instance's
     * fence reads their partition; elsewhere the fence that reads it takes them from Kafka.
     */
    @Bean
    LocalParticipants localFence(FenceParticipant participant, FenceWatchers fenceWatchers, MeterRegistry meters) {
        FunctionCounter.builder("cutover.fence.commands.early", participant, FenceParticipant::carriedOutEarly)
                .description("The fence's commands carried out as soon as the saga in this process committed them")
                .register(meters);
        return new LocalParticipants() {

            @Override
            public void sending(SpecificRecord command) {
                if (FenceParticipant.takenEarly(command)) {
                    participant.claimEarly(command);
                }
            }

            @Override
            public void committed(List<Committed> commands) {
                List<Committed> early = new ArrayList<>();
                for (Committed committed : commands) {
                    if (!FenceParticipant.takenEarly(committed.command())) {
                        continue;
                    }
                    if (fenceWatchers.owns(committed.partition())) {
                        early.add(committed);
                    } else {
                        participant.leaveToListener(committed.command());
                    }
                }
                participant.carryOutEarly(early);
            }

            @Override
            public void aborted(List<SpecificRecord> commands) {
                commands.stream().filter(FenceParticipant::takenEarly).forEach(participant::leaveToListener);
            }
        };
    }

    @Bean
    FenceListener fenceListener(FenceParticipant participant) {
        return new FenceListener(participant);
    }

    @Bean
    CutoverStartedListener cutoverStartedListener(FenceParticipant participant) {
        return new CutoverStartedListener(participant);
    }
}
