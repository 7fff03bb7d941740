package dev.cutover.schema.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cutover.platform.database.DatabasePair;
import dev.cutover.schema.testing.TestDatabases;
import dev.cutover.stack.LocalStack;
import dev.cutover.stack.SharedStackExtension;

/**
 * The replicator records the rows changed while streaming with triggers on the target's tables whose functions live
 * in cutover's own schema: they are cutover's, not the application's, and make no difference.
 */
@ExtendWith(SharedStackExtension.class)
class CutoverTriggerVerificationIntegrationTest {

    @Test
    void aTriggerWhoseFunctionIsCutoversIsNoDifferenceAndAnApplicationTriggerOnlyOnTheTargetIsOne(LocalStack stack) {
        DatabasePair pair = TestDatabases.create(stack, "verify_cutover_trigger", List.of());
        String table = "CREATE TABLE public.items (id bigint PRIMARY KEY, note text)";
        String function = " FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$";
        TestDatabases.execute(pair.source(), table);
        TestDatabases.execute(pair.target(), table, "CREATE SCHEMA cutover",
                "CREATE" + function.formatted("cutover.record_changes_1"),
                "CREATE TRIGGER cutover_changed_keys AFTER INSERT OR UPDATE OR DELETE ON public.items"
                        + " FOR EACH ROW EXECUTE PROCEDURE cutover.record_changes_1()",
                "ALTER TABLE public.items ENABLE ALWAYS TRIGGER cutover_changed_keys");

        assertThat(new SchemaVerifier().verify(pair)).isEmpty();

        TestDatabases.execute(pair.target(), "CREATE" + function.formatted("public.audit"),
                "CREATE TRIGGER audit AFTER INSERT ON public.items FOR EACH ROW EXECUTE PROCEDURE public.audit()");

        assertThat(new SchemaVerifier().verify(pair)).isNotEmpty();
    }
}
