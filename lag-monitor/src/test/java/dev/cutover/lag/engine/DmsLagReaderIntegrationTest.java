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

/** AWS DMS's control tables, created on a real target exactly as DMS documents them, read by the DMS engine. */
@ExtendWith(SharedStackExtension.class)
class DmsLagReaderIntegrationTest {

    private static final String DATABASE = "lag_monitor_dms";
    private static final String SLOT = "dms_task_slot";

    private static Postgres source;
    private static Postgres target;

    @BeforeAll
    static void createControlTables(LocalStack stack) throws SQLException {
        source = stack.source();
        target = stack.target();
        source.createDatabase(DATABASE);
        target.createDatabase(DATABASE);
        execute(source, "select pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
        execute(target, "create schema dmslogs", """
                create table dmslogs.awsdms_status (
                    "SERVER_NAME" varchar(128) not null,
                    "TASK_NAME" varchar(128) not null,
                    "TASK_STATUS" varchar(32),
                    "STATUS_TIME" timestamp,
                    "PENDING_CHANGES" bigint,
                    "DISK_SWAP_SIZE" bigint,
                    "TASK_MEMORY" bigint,
                    "SOURCE_CURRENT_POSITION" varchar(128),
                    "SOURCE_CURRENT_TIMESTAMP" timestamp,
                    "SOURCE_TAIL_POSITION" varchar(128),
                    "SOURCE_TAIL_TIMESTAMP" timestamp,
                    "SOURCE_TIMESTAMP_APPLIED" timestamp,
                    primary key ("SERVER_NAME", "TASK_NAME"))""", """
                create table dmslogs.awsdms_history (
                    "SERVER_NAME" varchar(128) not null,
                    "TASK_NAME" varchar(128) not null,
                    "TIMESLOT_TYPE" varchar(32) not null,
                    "TIMESLOT" timestamp not null,
                    "TIMESLOT_DURATION" bigint,
                    "TIMESLOT_LATENCY" bigint,
                    "TIMESLOT_RECORDS" bigint,
                    "TIMESLOT_VOLUME" bigint,
                    primary key ("SERVER_NAME", "TASK_NAME", "TIMESLOT_TYPE", "TIMESLOT"))""",
                // DMS writes UTC wall-clock times without a zone.
                """
                insert into dmslogs.awsdms_status values
                    ('ip-10-0-0-12', 'TASKAAAA', 'CHANGE PROCESSING', timezone('utc', now()), 42, 0, 120,
                     '00000002/5E000060', timezone('utc', now()), '00000002/5D000028', timezone('utc', now()),
                     timezone('utc', now()) - interval '1500 milliseconds'),
                    ('ip-10-0-0-12', 'TASKBBBB', 'NOT RUNNING', timezone('utc', now()) - interval '1 hour', 0, 0, 0,
                     null, null, null, null, null)""", """
                insert into dmslogs.awsdms_history values
                    ('ip-10-0-0-12', 'TASKAAAA', 'CHANGE PROCESSING', timezone('utc', now()) - interval '10 minutes',
                     5, 3, 1200, 4),
                    ('ip-10-0-0-12', 'TASKAAAA', 'CHANGE PROCESSING', timezone('utc', now()) - interval '5 minutes',
                     5, 2, 900, 3),
                    ('ip-10-0-0-12', 'TASKAAAA', 'FULL LOAD', timezone('utc', now()) - interval '1 minute', 5, 60, 10, 1)""");
    }

    @AfterAll
    static void dropSlot() throws SQLException {
        execute(source, "select pg_drop_replication_slot('" + SLOT + "')");
    }

    @Test
    void applyLagIsStatusTimeMinusTheSourceTimestampApplied() throws SQLException {
        LagSample sample = read(new ReplicationEngine.Dms("dmslogs", Optional.of("TASKAAAA"), Optional.of(SLOT)));

        TargetFigures.DmsTask task = (TargetFigures.DmsTask) sample.target().orElseThrow();
        assertThat(task.status()).isEqualTo("CHANGE PROCESSING");
        assertThat(task.pendingChanges()).isEqualTo(42);
        assertThat(sample.applyLagMs()).contains(1500L);
        assertThat(task.historyLatencyMs()).as("newest change-processing slot, in ms").isEqualTo(2000L);
        assertThat(task.applierRunning()).isTrue();
    }

    @Test
    void slotOfTheTaskGivesLagInBytesOnTheSource() throws SQLException {
        LagSample sample = read(new ReplicationEngine.Dms("dmslogs", Optional.of("TASKAAAA"), Optional.of(SLOT)));

        SourceFigures.Slot slot = sample.source().slot().orElseThrow();
        assertThat(slot.name()).isEqualTo(SLOT);
        assertThat(slot.active()).isFalse();
        assertThat(slot.lagBytes()).isNotNegative();
        assertThat(sample.confirmedLsn()).isPresent();
    }

    @Test
    void withoutATaskNameTheNewestStatusRowIsRead() throws SQLException {
        LagSample sample = read(new ReplicationEngine.Dms("dmslogs", Optional.empty(), Optional.empty()));

        assertThat(((TargetFigures.DmsTask) sample.target().orElseThrow()).task()).isEqualTo("TASKAAAA");
        assertThat(sample.source().slot()).isEmpty();
    }

    @Test
    void stoppedTaskIsNotRunning() throws SQLException {
        LagSample sample = read(new ReplicationEngine.Dms("dmslogs", Optional.of("TASKBBBB"), Optional.empty()));

        assertThat(sample.target().orElseThrow().applierRunning()).isFalse();
        assertThat(sample.applyLagMs()).isEmpty();
    }

    @Test
    void controlSchemaWithoutTheTablesMeansNoTaskIsFound() throws SQLException {
        assertThat(read(new ReplicationEngine.Dms("public", Optional.empty(), Optional.empty())).target()).isEmpty();
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
