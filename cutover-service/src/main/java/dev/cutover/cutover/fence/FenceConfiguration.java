package dev.cutover.cutover.fence;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.DatabasesSettings;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FenceSettings.class)
class FenceConfiguration {

    @Bean
    FenceParticipant fenceParticipant(Clock clock, DatabasesSettings databases, FenceSettings settings,
            MessagePublisher publisher) {
        return new FenceParticipant(new Fence(clock), databases, settings, publisher);
    }

    /** Named in {@link FenceListener}'s {@code containerPostProcessor}. */
    @Bean
    FenceWatchers fenceWatchers(FenceParticipant participant) {
        return new FenceWatchers(participant);
    }

    @Bean
    FenceListener fenceListener(FenceParticipant participant) {
        return new FenceListener(participant);
    }
}
