package dev.slipway.staging.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import dev.slipway.staging.build.JibImages;
import dev.slipway.staging.unpack.SourceFile;
import dev.slipway.events.StageStep;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import dev.slipway.events.ReasonCodes;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.LoggerFactory;

/**
 * The stage worker's process: started ahead of need by {@link StageWorkers}, it loads what a stage
 * uses, says it is ready, then reads {@link WorkOrder}s from standard input, one line each, runs
 * each and writes what happens as {@link WorkerMessage} lines on standard output, until its input
 * ends.
 */
public final class StageWorkerMain {

    private StageWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        // the protocol owns standard output; anything a library prints goes to standard error instead
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        quietLogging();
        warmUp();
        send(protocol, new WorkerMessage.Ready(System.currentTimeMillis()
                - ManagementFactory.getRuntimeMXBean().getStartTime()));

        BlockingQueue<String> orders = new SynchronousQueue<>();
        Thread reader = new Thread(() -> readOrders(orders), "orders");
        reader.setDaemon(true);
        reader.start();
        // one stage at a time, for as long as the supervisor keeps this worker; it ends it after a
        // failed stage, after its share of stages, or by closing standard input
        while (true) {
            String line = orders.take();
            WorkerMessage outcome;
            try {
                WorkOrder order = WorkerJson.mapper().readValue(line, WorkOrder.class);
                outcome = new StageWork(order, message -> send(protocol, message)).run();
            } catch (Throwable unexpected) {
                // a StackOverflowError, direct memory, a bug: said, then this worker is done
                send(protocol, new WorkerMessage.Failed(StageStep.BUILD, ReasonCodes.BUILD_FAILED, "the stage failed "
                        + "unexpectedly (" + StageWork.shorter(String.valueOf(unexpected)) + "); report it if it "
                        + "happens again", false));
                protocol.flush();
                Runtime.getRuntime().halt(1);
                return;
            }
            send(protocol, outcome);
        }
    }

    /**
     * Hands each line of standard input to the stage loop; at its end (the supervisor closed it, or
     * died) the worker ends at once, also in the middle of a stage: no worker outlives its service.
     */
    private static void readOrders(BlockingQueue<String> orders) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                orders.put(line);
            }
        } catch (Exception ignored) {
            // ended either way
        }
        Runtime.getRuntime().halt(0);
    }

    private static synchronized void send(PrintStream protocol, WorkerMessage message) {
        protocol.println(WorkerJson.mapper().writeValueAsString(message));
    }

    private static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
    }

    /** Loads the classes every stage needs while no stage waits, so the first one starts warm. */
    private static void warmUp() throws Exception {
        WorkerJson.mapper().readValue(WorkerJson.mapper().writeValueAsString(
                new WorkerMessage.StepFinished(StageStep.UNPACK, 0, "")), WorkerMessage.class);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new ByteArrayInputStream(EMPTY_TAR_GZ)))) {
            tar.getNextEntry();
        }
        // a whole build of a one-file image into a tar: layering, hashing, compression and the
        // image's JSON are compiled before the first stage needs them
        java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("warm-up");
        java.nio.file.Path file = java.nio.file.Files.writeString(scratch.resolve("index.html"), "warm");
        Jib.fromScratch()
                .addFileEntriesLayer(JibImages.appLayer(java.util.List.of(new SourceFile("index.html", file, false,
                        false))))
                .setEntrypoint("/bin/true")
                .containerize(Containerizer.to(TarImage.at(scratch.resolve("image.tar")).named("warm/up:1"))
                        .setApplicationLayersCache(scratch.resolve("cache"))
                        .setBaseImageLayersCache(scratch.resolve("cache")));
        Containerizer.to(RegistryImage.named("127.0.0.1:1/warm/up:1")).setAllowInsecureRegistries(true);
    }

    /** A gzip of an empty tar (two zero blocks). */
    private static final byte[] EMPTY_TAR_GZ = emptyTarGz();

    private static byte[] emptyTarGz() {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
                gzip.write(new byte[1024]);
            }
            return bytes.toByteArray();
        } catch (java.io.IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
