package dev.slipway.staging.worker;

import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageStep;
import dev.slipway.staging.build.AppDetector;
import dev.slipway.staging.build.AppKind;
import dev.slipway.staging.build.Dockerfiles;
import dev.slipway.staging.build.dockerfile.DockerfileImages;
import dev.slipway.staging.build.JibImages;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.build.language.LanguageBuild;
import dev.slipway.staging.unpack.ArchiveUnpacker;
import dev.slipway.staging.unpack.UnsafeArchiveException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.util.unit.DataSize;

/**
 * The untrusted half of a stage, run inside a stage worker: unpack the fetched archive, tell what
 * kind of app it is, build and push its image. Reports each finished step and every build log
 * line as it happens, and answers the outcome; only running out of a process limit (memory, CPU
 * time) ends it otherwise, and the supervisor names that limit.
 */
final class StageWork {

    private static final int MAX_MESSAGE = 2000;

    private final WorkOrder order;
    private final Consumer<WorkerMessage> report;
    private final SecretMask secrets;

    StageWork(WorkOrder order, Consumer<WorkerMessage> report) {
        this.order = order;
        this.secrets = new SecretMask(order.inputs().env().values());
        this.report = message -> report.accept(secrets.mask(message));
    }

    /** The stage's outcome; what it reports on the way and its last word never show a build env value. */
    WorkerMessage run() {
        return secrets.mask(stage());
    }

    private WorkerMessage stage() {
        StageStep step = StageStep.UNPACK;
        try {
            long started = System.nanoTime();
            ArchiveUnpacker.Unpacked unpacked = new ArchiveUnpacker(order.unpack())
                    .unpack(Path.of(order.archive()), Path.of(order.workDir(), "app"));
            report.accept(new WorkerMessage.StepFinished(step, millisSince(started), "unpacked " + unpacked.entries()
                    + " entries, " + unpacked.bytes() + " bytes from " + unpacked.format().wireName()));

            step = StageStep.BUILD;
            started = System.nanoTime();
            AppDetector.DetectedApp app = new AppDetector().detect(unpacked.root(), order.inputs());
            StageStep building = step;
            if (app.kind() == AppKind.DOCKERFILE) {
                return buildDockerfile(unpacked.root(), app, started);
            }
            Consumer<String> log = line -> report.accept(new WorkerMessage.Logged(building, line));
            JibImages images = new JibImages(order.build());
            // the app layer's cache is the stage's own: it goes with the stage, not into the shared cache
            JibImages.BuiltImage image = app.languageBuild()
                    ? new LanguageBuild(order.build(), order.container(), images).build(app, unpacked.root(),
                            Path.of(order.workDir()), order.inputs(), order.image(), order.labels(), log)
                    : images.build(app, unpacked.files(), order.image(), order.labels(),
                            Path.of(order.workDir(), "layers"), log);
            report.accept(new WorkerMessage.StepFinished(step, millisSince(started),
                    app.detail() + " -> " + image.reference()));
            return new WorkerMessage.Built(image.reference(), image.digest(), app.kind().wireName());
        } catch (UnsafeArchiveException unsafe) {
            // the unpacker reads a refused write as a broken archive; the cause tells the machine's part apart
            return writeRefused(step, unsafe).orElse(new WorkerMessage.Failed(step, unsafe.reason(),
                    shorter(unsafe.getMessage()), false));
        } catch (StageFailure failure) {
            return writeRefused(step, failure).orElse(new WorkerMessage.Failed(step, failure.reason(),
                    shorter(failure.getMessage()), failure.retryable()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WorkerMessage.Failed(step, ReasonCodes.BUILD_FAILED, step.wireName() + " was interrupted; "
                    + "replay the push", true);
        } catch (IOException | RuntimeException e) {
            return writeRefused(step, e).orElse(new WorkerMessage.Failed(step, ReasonCodes.BUILD_FAILED,
                    step.wireName() + " failed unexpectedly: " + shorter(String.valueOf(e))
                    + "; replay the push, and report it if it recurs", true));
        }
    }

    /** A Dockerfile source: podman builds and pushes it as the file says, behind the build's walls. */
    private WorkerMessage buildDockerfile(Path root, AppDetector.DetectedApp app, long started)
            throws StageFailure, IOException {
        Path dockerfile = Dockerfiles.find(root, order.inputs().dockerfile()).orElseThrow();
        Path stage = Path.of(order.workDir());
        // the app's cache folder holds its podman store (its layers); without one the stage's folder does
        Path store = order.inputs().cacheDir() == null ? stage.resolve("podman-store")
                : Path.of(order.inputs().cacheDir(), "podman");
        DockerfileImages.Request request = new DockerfileImages.Request(root, dockerfile, order.image(),
                order.labels(), order.inputs().env(), order.inputs().noCache(), store, stage.resolve("private"));
        try {
            DockerfileImages.Pushed image = new DockerfileImages(order.container(), order.build())
                    .build(request, line -> report.accept(new WorkerMessage.Logged(StageStep.BUILD, line)));
            report.accept(new WorkerMessage.StepFinished(StageStep.BUILD, millisSince(started),
                    app.detail() + " -> " + image.reference()));
            return new WorkerMessage.Built(image.reference(), image.digest(), app.kind().wireName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the Dockerfile", e);
        }
    }

    /** A message as a failed event may carry it: what libraries say can quote megabytes of an archive. */
    static String shorter(String message) {
        return message == null || message.length() <= MAX_MESSAGE ? message
                : message.substring(0, MAX_MESSAGE) + "... (" + message.length() + " characters)";
    }

    private WorkerMessage.Failed diskLimit(StageStep step) {
        return new WorkerMessage.Failed(step, ReasonCodes.STAGE_DISK_LIMIT, "the stage tried to write a file larger "
                + "than its limit of " + DataSize.ofBytes(order.fileSizeLimit()).toMegabytes() + " MB while "
                + step.wireName() + "ing; make the source smaller, or raise slipway.staging.worker.max-file-size", false);
    }

    private static WorkerMessage.Failed diskFull(StageStep step) {
        return new WorkerMessage.Failed(step, ReasonCodes.STAGING_DISK_FULL, "staging-service's work folder is "
                + "full (no space left on device) while " + step.wireName() + "ing; the archive may be fine: an "
                + "operator must free space in slipway.staging.work-dir, then replay the push", true);
    }

    /**
     * A write the machine refused, whatever the code that met it made of it: a full disk (ENOSPC), or
     * this process's file size limit (EFBIG; the JVM ignores SIGXFSZ, so it surfaces as an exception).
     */
    private Optional<WorkerMessage.Failed> writeRefused(StageStep step, Throwable error) {
        if (diskFull(error)) {
            return Optional.of(diskFull(step));
        }
        return causedBy(error, "File too large") ? Optional.of(diskLimit(step)) : Optional.empty();
    }

    /** ENOSPC: the machine's disk, not the archive, ended the stage. */
    static boolean diskFull(Throwable error) {
        return causedBy(error, "No space left on device");
    }

    private static boolean causedBy(Throwable error, String ioMessage) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException && cause.getMessage() != null && cause.getMessage().contains(ioMessage)) {
                return true;
            }
        }
        return false;
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
