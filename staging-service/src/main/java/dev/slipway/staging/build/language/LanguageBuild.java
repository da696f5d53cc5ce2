package dev.slipway.staging.build.language;


import dev.slipway.staging.build.AppDetector;
import dev.slipway.staging.build.BuildInputs;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.JibImages;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.build.podman.BuildContainerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A language project from source to image, in the stage worker: its plan, its script in the build
 * container (skipped when there is nothing to run), then Jib puts the runtime base, the dependency
 * layer and the app layer together, so a push that changed only the app re-uploads only the app layer.
 */
public final class LanguageBuild {

    private final BuildProperties build;
    private final BuildContainerSettings settings;
    private final JibImages images;

    /** The language builds' folder in an app's cache, the only part of it a build container sees. */
    public static final String LANGUAGE_CACHE = "lang";

    public LanguageBuild(BuildProperties build, BuildContainerSettings settings, JibImages images) {
        this.build = build;
        this.settings = settings;
        this.images = images;
    }

    /**
     * @param app      what the detector found
     * @param source   the unpacked source; the build writes into it
     * @param stageDir the stage's own folder (scratch, and the cache when the order names none)
     */
    public JibImages.BuiltImage build(AppDetector.DetectedApp app, Path source, Path stageDir, BuildInputs inputs,
                                      String reference, Map<String, String> labels, Consumer<String> log)
            throws StageFailure, IOException, InterruptedException {
        BuildPlan plan = BuildPlans.of(app, source);
        log.accept("build plan: " + plan.detail());
        if (!plan.script().isEmpty()) {
            // a folder of its own in the app's cache: the rest (a Dockerfile build's store) never meets the build
            Path cache = inputs.cacheDir() == null ? stageDir.resolve("build-cache")
                    : Path.of(inputs.cacheDir(), LANGUAGE_CACHE);
            Files.createDirectories(cache);
            Path scratch = Files.createDirectories(stageDir.resolve("build-scratch"));
            long started = System.nanoTime();
            new BuildContainer(settings).run(plan, new BuildContainer.Run(buildImage(), build.insecure(),
                    build.registry(), build.registryUsername(), build.registryPassword(), source, cache, scratch,
                    inputs.env()), log);
            log.accept("build container finished in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
        plan = BuildPlans.afterBuild(plan, source);
        WorkspaceLayers.Layers layers;
        try {
            layers = WorkspaceLayers.of(source, plan, stageDir.resolve("link-scripts"), log);
        } catch (WorkspaceLayers.TooManyEntries tooMany) {
            throw WorkspaceLayers.refused();
        }
        return images.build(new JibImages.ImageSpec(build.baseImageFor(plan.kind()), layers.nonEmpty(),
                plan.start(), plan.runtimeEnv()), reference, labels, stageDir.resolve("layers"), log);
    }

    private String buildImage() {
        return settings.image().isBlank() ? build.registry() + "/" + dev.slipway.staging.build.BaseImages.BUSYBOX
                : settings.image();
    }
}
