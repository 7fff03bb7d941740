package dev.cutover.schema;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.StepFailure;
import dev.cutover.platform.database.DatabasePair;
import dev.cutover.schema.pgtools.PgTools;
import dev.cutover.schema.section.BuildMemory;
import dev.cutover.schema.section.PostDataBuilder;
import dev.cutover.schema.section.PreDataApplier;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * Post-data's connections sort in the memory schema-service is configured with, not in the target server's
 * defaults. An index over a function that, on the target only (PostgreSQL 17 against the source's 11), fails with the
 * session's settings in its message shows what the index build ran with.
 */
@ExtendWith(SharedStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostDataMemoryIntegrationTest {

    private static final String PROBED = """
            CREATE TABLE public.probed (id integer PRIMARY KEY);
            INSERT INTO public.probed VALUES (1);
            CREATE FUNCTION public.memory_probe(i integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
            BEGIN
              IF current_setting('server_version_num')::integer >= 170000 THEN
                RAISE EXCEPTION 'index built with maintenance_work_mem=%', current_setting('maintenance_work_mem');
              END IF;
              RETURN i;
            END $$;
            CREATE INDEX probed_memory ON public.probed (public.memory_probe(id));
            """;

    private final PgTools tools = new PgTools(null, Path.of(System.getProperty("java.io.tmpdir"), "schema-tests"),
            Duration.ofMinutes(5));

    private DatabasePair pair;

    @BeforeAll
    void aTableWhoseIndexReportsItsSession(LocalStack stack) {
        pair = TestDatabases.create(stack, "schema_post_data_memory", List.of());
        TestDatabases.execute(pair.source(), PROBED);
        new PreDataApplier(tools).apply(pair);
        TestDatabases.copyData(pair);
    }

    @Test
    void indexesAreBuiltWithTheConfiguredMaintenanceWorkMem() {
        PostDataBuilder builder = new PostDataBuilder(tools, new BuildMemory(300 * 1024));

        assertThatThrownBy(() -> builder.apply(pair, 1)).isInstanceOf(StepFailure.class)
                .hasMessageContaining("index built with maintenance_work_mem=300MB");
    }

    @Test
    void zeroLeavesTheTargetServersOwnSettings() {
        String serverOwn = "index built with maintenance_work_mem=" + setting("maintenance_work_mem");
        PostDataBuilder builder = new PostDataBuilder(tools, BuildMemory.SERVER_SETTINGS);

        assertThatThrownBy(() -> builder.apply(pair, 1)).isInstanceOf(StepFailure.class)
                .hasMessageContaining(serverOwn);
    }

    private String setting(String name) {
        return TestDatabases.strings(pair.target(), "SELECT current_setting('" + name + "')").getFirst();
    }
}
