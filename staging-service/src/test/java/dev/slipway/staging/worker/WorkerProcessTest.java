package dev.slipway.staging.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the supervisor takes from a worker's output, and what it sweeps after a killed service. */
class WorkerProcessTest {

    @TempDir
    Path home;

    @Test
    void aLineLongerThanTheCapIsABrokenProtocolNotAHeapFull() throws Exception {
        // 300 KiB without a newline, as a worker gone wrong might print
        Process printer = new ProcessBuilder("sh", "-c", "head -c 307200 /dev/zero | tr '\\0' a").start();
        WorkerProcess worker = new WorkerProcess("printer", printer, Files.createDirectories(home.resolve("scratch")),
                home.resolve("printer.log"));
        try {
            assertThatThrownBy(worker::next).isInstanceOf(WorkerProcess.ProtocolBroken.class)
                    .hasMessageContaining("longer than 256 KiB");
        } finally {
            worker.discard();
        }
    }

    @Test
    void aLineThatIsNoMessageComesBackAsALogLine() throws Exception {
        Process printer = new ProcessBuilder("sh", "-c", "echo 'Terminating due to java.lang.OutOfMemoryError'")
                .start();
        WorkerProcess worker = new WorkerProcess("printer", printer, Files.createDirectories(home.resolve("scratch")),
                home.resolve("printer.log"));
        try {
            assertThat(worker.next()).get().isEqualTo(new WorkerMessage.Logged(null,
                    "Terminating due to java.lang.OutOfMemoryError"));
            assertThat(worker.next()).isEmpty();
        } finally {
            worker.discard();
        }
    }

    @Test
    void onlyWhatADeadProcessLeftIsSwept() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        long live = ProcessHandle.current().pid();

        assertThat(Folders.leftByDeadProcess(home.resolve("worker-" + ended.pid() + "-3"), "worker-")).isTrue();
        assertThat(Folders.leftByDeadProcess(home.resolve("worker-" + ended.pid() + "-3.log"), "worker-")).isTrue();
        assertThat(Folders.leftByDeadProcess(home.resolve("worker-" + live + "-3"), "worker-")).isFalse();
        assertThat(Folders.leftByDeadProcess(home.resolve(".stages-" + live), ".stages-")).isFalse();
        assertThat(Folders.leftByDeadProcess(home.resolve(".jib-cache"), ".stages-")).isFalse();
        assertThat(Folders.leftByDeadProcess(home.resolve("worker-abc"), "worker-")).isFalse();
    }
}
