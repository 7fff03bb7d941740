package dev.cutover.schema;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.preflight.PreflightChecker;
import dev.cutover.schema.section.PostDataBuilder;
import dev.cutover.schema.section.PreDataApplier;
import dev.cutover.schema.sequences.SequenceSync;
import dev.cutover.platform.database.WarmConnections;
import dev.cutover.schema.verify.SchemaVerifier;

/** Builds the service's parts from its settings; the parts themselves know nothing of Spring. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SchemaSettings.class)
class SchemaServiceConfiguration {

    @Bean
    PgTools pgTools(SchemaSettings settings) {
        return new PgTools(settings.clientBin(), settings.workDirectory(), settings.toolTimeout());
    }

    @Bean
    SchemaCommands schemaCommands(DatabasesSettings databases, SchemaSettings settings, PgTools tools,
            MessagePublisher publisher) {
        return new SchemaCommands(databases, settings, new PreflightChecker(tools, settings.longTransaction()),
                new PreDataApplier(tools), new PostDataBuilder(tools), new SchemaVerifier(), new SequenceSync(new WarmConnections()),
                publisher);
    }
}
