package dev.slipway.staging.build;

/**
 * The port every builder sits behind: the worker builder (unpack and Jib in a walled child process)
 * and the kubernetes builder (a Job per stage). A builder reports steps and log lines as they
 * happen and answers one outcome; it never throws for a failed build.
 */
public interface ImageBuilder {

    BuildOutcome build(BuildOrder order, BuildProgress progress);
}
