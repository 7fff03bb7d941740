package dev.cutover.schema.pgtools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientVersionUnitTest {

    @Test
    void debianVersionLineGivesMajorVersion() {
        ClientVersion version = ClientVersion.parse("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n");

        assertThat(version.major()).isEqualTo(15);
        assertThat(version.text()).isEqualTo("15.18");
    }

    @Test
    void pgDumpDumpsOlderAndEqualServersButNotNewerOnes() {
        ClientVersion version = ClientVersion.parse("pg_dump (PostgreSQL) 15.18");

        assertThat(version.canDump(11)).isTrue();
        assertThat(version.canDump(15)).isTrue();
        assertThat(version.canDump(16)).isFalse();
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> ClientVersion.parse("bash: pg_dump: command not found"))
                .hasMessageContaining("not a PostgreSQL client version");
    }
}
