package dev.cutover.lag.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.stack.LocalStack;
import dev.cutover.stack.Postgres;
import dev.cutover.stack.SharedStackExtension;

/**
 * pglogical is not in the PostgreSQL binaries here, so the target gets a function with exactly the signature
 * of pglogical 2's {@code show_subscription_status}, and the source a real logical slot for it to name.
 */
@ExtendWith(SharedStackExtension.class)
class PglogicalLagReaderIntegrationTest {

    private static final String DATABASE = "lag_monitor_pglogical";
    private static final String SLOT = "pgl_lag_monitor_provider_sub1";

    private static Postgres source;
    private static Postgres target;

    @BeforeAll
    static void createPglogical(LocalStack stack) throws SQLException {
        source = stack.source();
        target = stack.target();
        source.createDatabase(DATABASE);
        target.createDatabase(DATABASE);
        execute(source, "select pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')",
                "create table orders (id bigint primary key)", "insert into orders select generate_series(1, 1000)");
        execute(target, "create schema pglogical", """
                create function pglogical.show_subscription_status(subscription_name name default null,
                    out subscription_name text, out status text, out provider_node text,
                    out provider_dsn text, out slot_name text, out replication_sets text[],
                    out forward_origins text[])
                returns setof record stable language sql as $$
                    select s.* from (values
                        ('sub1'::text, 'replicating'::text, 'provider'::text, 'host=source dbname=app'::text,
                         '%s'::text, array['default', 'default_insert_only', 'ddl_sql'], array['all']),
                        ('sub2'::text, 'down'::text, 'provider'::text, 'host=source dbname=app'::text,
                         'pgl_missing'::text, array['default'], array['all'])
                    ) as s
                    where $1 is null or s.column1 = $1
                $$""".formatted(SLOT));
    }

    @AfterAll
    static void dropSlot() throws SQLException {
        execute(source, "select pg_drop_replication_slot('" + SLOT + "')");
    }

    @Test
    void subscriptionStatusAndItsSlotOnTheSourceAreRead() throws SQLException {
        LagSample sample = read(new ReplicationEngine.Pglogical("sub1", Optional.empty()));

        TargetFigures.PglogicalSubscription subscription =
                (TargetFigures.PglogicalSubscription) sample.target().orElseThrow();
        assertThat(subscription.status()).isEqualTo("replicating");
        assertThat(subscription.slotName()).isEqualTo(SLOT);
        assertThat(subscription.applierRunning()).isTrue();
        SourceFigures.Slot slot = sample.source().slot().orElseThrow();
        assertThat(slot.name()).isEqualTo(SLOT);
        assertThat(slot.lagBytes()).as("rows written after the slot was made").isPositive();
        assertThat(slot.retainedWalBytes()).isGreaterThanOrEqualTo(slot.lagBytes());
    }

    @Test
    void downSubscriptionWhoseSlotIsGoneIsNotRunningAndHasNoSlot() throws SQLException {
        LagSample sample = read(new ReplicationEngine.Pglogical("sub2", Optional.empty()));

        assertThat(sample.target().orElseThrow().applierRunning()).isFalse();
        assertThat(sample.source().slot()).isEmpty();
        assertThat(sample.replicationExists(true)).isFalse();
    }

    @Test
    void unknownSubscriptionIsNotFound() throws SQLException {
        assertThat(read(new ReplicationEngine.Pglogical("nope", Optional.empty())).target()).isEmpty();
    }

    private static LagSample read(ReplicationEngine engine) throws SQLException {
        try (Connection s = source.connect(DATABASE); Connection t = target.connect(DATABASE)) {
            return LagReader.of(engine).read(s, t, Instant.now());
        }
    }

    private static void execute(Postgres server, String... statements) throws SQLException {
        try (Connection connection = server.connect(DATABASE); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
