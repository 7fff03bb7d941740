package dev.cutover.schema.pgtools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolErrorsUnitTest {

    private static final String SERVER = "postgres@db:5432/shop";

    @Test
    void versionMismatchAsksForANewerClient() {
        ToolErrors.Explanation explanation = ToolErrors.explain("pg_dump", SERVER, """
                pg_dump: error: aborting because of server version mismatch
                pg_dump: detail: server version: 16.4; pg_dump version: 15.18
                """);

        assertThat(explanation.reason()).contains("older than the server").contains("cutover.schema.client-bin")
                .contains("aborting because of server version mismatch");
        assertThat(explanation.retryable()).isFalse();
    }

    @Test
    void existingObjectAsksForAnEmptyTarget() {
        ToolErrors.Explanation explanation = ToolErrors.explain("psql", SERVER,
                "psql:/tmp/x.sql:40: ERROR:  type \"order_status\" already exists\n");

        assertThat(explanation.reason()).contains("already has an object")
                .contains("ERROR:  type \"order_status\" already exists").contains("empty database");
    }

    @Test
    void missingRoleAsksToCreateIt() {
        ToolErrors.Explanation explanation = ToolErrors.explain("psql", SERVER,
                "psql:/tmp/x.sql:12: ERROR:  role \"shop_owner\" does not exist\n");

        assertThat(explanation.reason()).contains("create it there", "create-missing-roles")
                .doesNotContain("send the command again");
    }

    @Test
    void permissionDeniedAsksForAStrongerUser() {
        ToolErrors.Explanation explanation = ToolErrors.explain("psql", SERVER,
                "psql:/tmp/x.sql:30: ERROR:  permission denied for schema public\n");

        assertThat(explanation.reason()).contains("too few privileges").contains(SERVER);
        assertThat(explanation.retryable()).isFalse();
    }

    @Test
    void unreachableServerMayBeRetried() {
        ToolErrors.Explanation explanation = ToolErrors.explain("pg_dump", SERVER,
                "pg_dump: error: connection to server at \"db\" (10.0.0.1), port 5432 failed: Connection refused\n");

        assertThat(explanation.retryable()).isTrue();
        assertThat(explanation.reason()).contains("could not reach");
    }
}
