package dev.cutover.sandbox.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CompilerThreadsUnitTest {

    @Test
    void theJitCompilersOfARunningJvmHaveUsedSomeOfItsCpu() {
        long self = ProcessHandle.current().pid();

        Duration compilers = CompilerThreads.cpu(self).orElseThrow();

        assertThat(compilers).as("this JVM compiled the test framework's code").isPositive();
        assertThat(compilers).isLessThan(ProcessHandle.current().info().totalCpuDuration().orElseThrow());
    }

    @Test
    void aProcessThatIsNotThereHasNoCompilerTimeToRead() {
        assertThat(CompilerThreads.cpu(Long.MAX_VALUE)).isEmpty();
    }
}
