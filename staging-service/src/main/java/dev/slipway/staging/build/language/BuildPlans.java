package dev.slipway.staging.build.language;

import dev.slipway.staging.build.AppDetector;
import dev.slipway.staging.build.StageFailure;
import java.io.IOException;
import java.nio.file.Path;

/** The build plan of a detected language project, from its files alone. */
public final class BuildPlans {

    private BuildPlans() {
    }

    public static BuildPlan of(AppDetector.DetectedApp app, Path root) throws IOException, StageFailure {
        return switch (app.kind()) {
            case NODE -> NodeProject.plan(root, app.command());
            case PYTHON -> PythonProject.plan(root, app.command());
            case GO -> GoProject.plan(app.command());
            case MAVEN -> JvmProject.maven(root, app.command());
            case GRADLE -> JvmProject.gradle(app.command());
            default -> throw new IllegalArgumentException(app.kind() + " is not a language build");
        };
    }

    /** The plan completed from what the build left (a JVM build's jar); others are complete from the start. */
    public static BuildPlan afterBuild(BuildPlan plan, Path root) throws IOException, StageFailure {
        return plan.jarFolder() == null ? plan : JvmProject.withJar(plan, root);
    }
}
