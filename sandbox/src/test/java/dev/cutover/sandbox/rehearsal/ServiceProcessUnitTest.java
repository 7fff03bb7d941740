package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceProcessUnitTest {

    @Test
    void aPortTheKernelOffersAgainBeforeItsServiceBoundItIsNotHandedToASecondService() {
        // The kernel offers 41000 for the first service, then again for the second, which has not bound it yet.
        Iterator<Integer> offered = List.of(41000, 41000, 41000, 41001).iterator();
        Set<Integer> handedOut = new HashSet<>();

        int first = ServiceProcess.unusedPort(offered::next, handedOut);
        int second = ServiceProcess.unusedPort(offered::next, handedOut);

        assertThat(first).isEqualTo(41000);
        assertThat(second).isEqualTo(41001);
        assertThat(handedOut).containsExactlyInAnyOrder(41000, 41001);
    }

    @Test
    void aServiceStartsWithTheJvmOptionsItsModuleShipsAndWithoutWhenItShipsNone(@TempDir Path modules) throws Exception {
        Path java = Path.of("/opt/jdk/bin/java");
        Path shipping = Files.createDirectories(modules.resolve("shipping"));
        Files.writeString(shipping.resolve(ServiceProcess.JVM_OPTIONS), "-XX:TieredStopAtLevel=1\n");
        Path plain = Files.createDirectories(modules.resolve("plain"));

        assertThat(ServiceProcess.javaCommand(java, shipping, Path.of("shipping-exec.jar"))).containsExactly(
                "/opt/jdk/bin/java", "@" + shipping.resolve("jvm.options"), "-jar", "shipping-exec.jar");
        assertThat(ServiceProcess.javaCommand(java, plain, Path.of("plain-exec.jar")))
                .containsExactly("/opt/jdk/bin/java", "-jar", "plain-exec.jar");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cutover-service", "dns-switcher", "lag-monitor", "schema-service"})
    void theServicesOnTheSwitchsPathShipJvmOptionsThisJvmAccepts(String module) throws Exception {
        String flags = finalFlagsWithTheOptionsOf(module);

        assertThat(flags).containsPattern("TieredStopAtLevel\\s+= 1\\s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"replicator", "console"})
    void theServicesOffTheSwitchsPathShipJvmOptionsTooThatKeepTheJvmsDefaults(String module) throws Exception {
        String flags = finalFlagsWithTheOptionsOf(module);

        assertThat(flags).containsPattern("TieredStopAtLevel\\s+= 4\\s");
    }

    /** The JVM's final flags when started with the module's shipped options, which it must accept. */
    private static String finalFlagsWithTheOptionsOf(String module) throws Exception {
        Path options = ServiceProcess.moduleDirectory(module).resolve(ServiceProcess.JVM_OPTIONS);
        assertThat(options).isRegularFile();
        Process version = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + options, "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
        String flags = new String(version.getInputStream().readAllBytes());
        assertThat(version.waitFor()).as(flags).isZero();
        return flags;
    }
}
