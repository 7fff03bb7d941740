package dev.cutover.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class ClosingIntegrationTest {

    @Test
    void closingAStackStopsEveryServerAndDeletesItsWorkDirectoryAndASecondCloseDoesNothing() throws Exception {
        LocalStack stack = LocalStack.start(StackOptions.defaults().withParts(StackPart.SOURCE, StackPart.DNS));
        ProcessHandle postmaster = postmasterOf(stack.source());
        Path bindDirectory = ((BindServer) stack.dns()).logFile().getParent();
        ProcessHandle named = ProcessHandle.of(Long.parseLong(Files.readString(bindDirectory.resolve("named.pid")).strip())).orElseThrow();
        Path workDirectory = bindDirectory.getParent();

        stack.close();
        stack.close();

        assertThat(Os.isRunning(postmaster)).isFalse();
        assertThat(Os.isRunning(named)).isFalse();
        assertThat(workDirectory).doesNotExist();
    }

    private static ProcessHandle postmasterOf(Postgres server) throws SQLException {
        try (Connection connection = server.connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return ProcessHandle.of(rows.getLong(1)).flatMap(ProcessHandle::parent).orElseThrow();
        }
    }
}
