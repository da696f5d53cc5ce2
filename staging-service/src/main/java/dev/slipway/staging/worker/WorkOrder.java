package dev.slipway.staging.worker;

import dev.slipway.staging.build.BuildInputs;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.podman.BuildContainerSettings;
import dev.slipway.staging.unpack.UnpackLimits;
import java.util.Map;

/**
 * The one stage a worker is given, on its standard input (never its command line or environment,
 * which other local users could read): the fetched archive, the stage's folder to unpack into, the
 * image to build and push, and the limits the unpacker applies.
 *
 * @param archive       the fetched source archive
 * @param workDir       the stage's own folder; the worker writes nowhere else but the layer cache
 * @param image         {@code <registry>/<ns>-<app>:<stage id>}
 * @param labels        the image's labels
 * @param unpack        the unpacker's limits
 * @param build         registry, credentials, base images, Jib's cache
 * @param fileSizeLimit the largest file the worker may write (a hard limit of its process)
 * @param inputs        what the push asked of its build: env (opened), cache, Dockerfile
 * @param container     the walls of the builds run with podman (a language build's container, a Dockerfile's
 *                      steps); the defaults when null
 */
record WorkOrder(String archive, String workDir, String image, Map<String, String> labels, UnpackLimits unpack,
                 BuildProperties build, long fileSizeLimit, BuildInputs inputs, BuildContainerSettings container) {

    WorkOrder {
        inputs = inputs == null ? BuildInputs.NONE : inputs;
        container = container == null ? BuildContainerSettings.DEFAULTS : container;
    }

    /** An order whose push asked nothing of its build, with the default walls. */
    WorkOrder(String archive, String workDir, String image, Map<String, String> labels, UnpackLimits unpack,
              BuildProperties build, long fileSizeLimit) {
        this(archive, workDir, image, labels, unpack, build, fileSizeLimit, BuildInputs.NONE, null);
    }
}
