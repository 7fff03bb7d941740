package dev.cutover.schema;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cutover.platform.MessagePublisher;
import dev.cutover.platform.StepFailedRecoverer;
import dev.cutover.platform.database.DatabasesSettings;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.preflight.PreflightChecker;
import dev.cutover.schema.preflight.CutoverPreflight;
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

    /**
     * One idle login per server, shared by the steps that run as a cutover starts or at its switch (the cutover's
     * preflight's facts, the sequences' sync): each would otherwise log in anew on a busy host.
     */
    @Bean(destroyMethod = "close")
    WarmConnections warmConnections() {
        return new WarmConnections();
    }

    @Bean
    PreflightChecker preflightChecker(PgTools tools, SchemaSettings settings, WarmConnections warmConnections) {
        return new PreflightChecker(tools, settings.longTransaction(), warmConnections);
    }

    /** The cutover's preflight proves the replication beside the facts, on logins of its own. */
    @Bean(destroyMethod = "close")
    CutoverPreflight cutoverPreflight(PreflightChecker checker, SchemaSettings settings) {
        return new CutoverPreflight(checker, settings.canaryRoundTrip());
    }

    /**
     * Logs in to every configured server once the service is up, so that a cutover's first preflight finds its
     * connections waiting; a server that cannot be reached yet is left to the command that needs it, which says why.
     */
    @Bean
    ApplicationListener<ApplicationReadyEvent> warmLogins(DatabasesSettings databases, WarmConnections connections,
            CutoverPreflight cutoverPreflight) {
        return ready -> databases.databases().values().forEach(pair -> {
            connections.warm(pair.source());
            connections.warm(pair.target());
            cutoverPreflight.warm(pair);
        });
    }

    @Bean
    SchemaCommands schemaCommands(DatabasesSettings databases, SchemaSettings settings, PgTools tools,
            MessagePublisher publisher, WarmConnections warmConnections, PreflightChecker preflightChecker,
            CutoverPreflight cutoverPreflight, StepFailedRecoverer failures) {
        return new SchemaCommands(databases, settings, preflightChecker, cutoverPreflight, new PreDataApplier(tools),
                new PostDataBuilder(tools, settings.buildMemory()), new SchemaVerifier(), new SequenceSync(warmConnections), publisher, failures);
    }
}
