package dev.slipway.staging.build.dockerfile;

import dev.slipway.staging.build.podman.BuildContainerSettings;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.ReservedBuildEnv;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.build.podman.PodmanCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds an image from a Dockerfile with {@code podman build} and pushes it, from a stage worker.
 * podman runs as root, so the Dockerfile is checked first ({@link DockerfileRules}: no {@code RUN}
 * flags, no {@code ADD} of a URL, no heredoc). Each {@code RUN} step runs as root in a container with six
 * capabilities, a memory limit (swap included), the build's process limit and the isolated build
 * network; what a build leaves running when it fails or passes its deadline is killed. Build env values
 * reach podman through its environment ({@code --build-arg NAME} takes the value from there), never its
 * command line, and an image built with them keeps no history that would quote them. Layers are cached
 * in the app's own podman store ({@link AppStore}), so one app's build never meets another's layers or
 * images; the image itself leaves the store once pushed.
 */
public final class DockerfileImages {

    /** The build arg naming the platform's registry, for {@code FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1}. */
    public static final String REGISTRY_ARG = "SLIPWAY_REGISTRY";
    /** Largest Dockerfile read: far above any real one, and the check reads it whole. */
    static final int MAX_DOCKERFILE_BYTES = 1 << 20;

    /**
     * The capabilities a {@code RUN} step keeps, all within its own files: those package managers need to
     * install as other users. No raw sockets, no mknod, no chroot, no kill, no privileged ports.
     */
    static final String OWNERSHIP_CAPABILITIES = "CHOWN,DAC_OVERRIDE,FOWNER,FSETID,SETUID,SETGID";

    /** What to build: where, from which Dockerfile, into which image, with what. */
    public record Request(Path context, Path dockerfile, String image, Map<String, String> labels,
                          Map<String, String> buildEnv, boolean noCache, Path store, Path privateFolder) {
    }

    /** The image in the registry and its manifest digest. */
    public record Pushed(String reference, String digest) {
    }

    private final BuildContainerSettings settings;
    private final BuildProperties registry;
    private final PodmanCli podman;

    public DockerfileImages(BuildContainerSettings settings, BuildProperties registry) {
        this.settings = settings;
        this.registry = registry;
        this.podman = new PodmanCli(settings.podman(), settings.ociRuntime());
    }

    public Pushed build(Request request, Consumer<String> log) throws StageFailure, IOException, InterruptedException {
        requireNoReservedNames(request.buildEnv());
        String dockerfile = dockerfileText(request.dockerfile());
        DockerfileRules.check(dockerfile);
        Instant deadline = Instant.now().plus(settings.timeout());
        RegistryFiles files = RegistryFiles.write(request.privateFolder(), registry, repository(request.image()));
        podman.ensureIsolatedNetwork(settings.network(), PodmanCli.BUILD_NETWORK_LABELS);
        try (AppStore store = AppStore.open(request.store(), workerFolder(request), deadline)) {
            // a build of this app that died with its worker left its containers: none is running now
            removeBuildContainers(store);
            Map<String, String> env = new HashMap<>(request.buildEnv());
            env.putAll(podmanEnv(files));
            checkBaseImages(dockerfile, request, store, files, env, deadline, log);
            BuildCgroup.Result cgroup = BuildCgroup.make("slipway-build-" + request.privateFolder().getParent()
                    .getFileName() + "-" + ProcessHandle.current().pid(), settings.pids());
            if (!cgroup.warning().isEmpty()) {
                log.accept("warning: " + cgroup.warning());
            }
            boolean built = false;
            try {
                PodmanCli.Result result = podman.run(buildArgs(request, store, files, cgroup.cgroup()
                        .map(BuildCgroup::parent).orElse(null)), env, remaining(deadline), null, log);
                built = result.ok();
                if (!built) {
                    throw BuildFailures.of(result, settings);
                }
            } finally {
                // podman killed at its deadline leaves runc and the step's processes running: end them,
                // then the build containers they ran in
                cgroup.cgroup().ifPresent(BuildCgroup::remove);
                if (!built) {
                    removeBuildContainers(store);
                }
            }
            try {
                return push(request, store, files, deadline, log);
            } finally {
                // the image is in the registry now: its name goes, its layers stay as the cache (removing the
                // image would take the untagged layers of every step below it too)
                List<String> untag = new ArrayList<>(store.args());
                untag.addAll(List.of("untag", request.image()));
                podman.exec(untag, Duration.ofSeconds(60));
            }
        }
    }

    /**
     * Pulls each base image into the app's store under the build's pull policy and refuses one whose
     * {@code ONBUILD} triggers break {@link DockerfileRules}: they would run in this build as if the
     * Dockerfile had them. The build then takes these very images ({@code --pull=missing}); the store is
     * this build's alone until it ends, so no tag moves in between.
     */
    private void checkBaseImages(String dockerfile, Request request, AppStore store, RegistryFiles files,
                                 Map<String, String> env, Instant deadline, Consumer<String> log)
            throws StageFailure, IOException, InterruptedException {
        Map<String, String> buildArgs = new HashMap<>(request.buildEnv());
        buildArgs.put(REGISTRY_ARG, registry.registry());
        for (String image : BaseImageRefs.of(dockerfile, buildArgs)) {
            List<String> pull = new ArrayList<>(store.args());
            pull.addAll(List.of("pull", "--signature-policy", files.policy().toString()));
            files.authFile().ifPresent(auth -> pull.addAll(List.of("--authfile", auth.toString())));
            pull.addAll(List.of("--", image));
            PodmanCli.Result pulled = podman.run(pull, env, remaining(deadline), null, log);
            if (!pulled.ok()) {
                throw pulled.timedOut() ? BuildFailures.of(pulled, settings)
                        : BuildFailures.unpullable(image, pulled);
            }
            List<String> triggers;
            try {
                triggers = BaseImageTriggers.of(BaseImageTriggers.buildahBeside(settings.podman()), store.args(), image,
                        env, Duration.ofSeconds(60));
            } catch (IOException unreadable) {
                throw new StageFailure(ReasonCodes.BUILD_FAILED, "the base image " + image + " could not be checked "
                        + "for ONBUILD triggers (" + unreadable.getMessage() + "); buildah must be installed beside "
                        + "podman (Debian: apt-get install buildah); replay the push once it is", true);
            }
            Optional<String> refused = DockerfileRules.triggerRefusal(image, triggers);
            if (refused.isPresent()) {
                throw new StageFailure(ReasonCodes.BUILD_FAILED, refused.get(), false);
            }
        }
    }

    /** The Dockerfile's text, for the check; one larger than any real Dockerfile is refused unread. */
    private static String dockerfileText(Path dockerfile) throws IOException, StageFailure {
        if (Files.size(dockerfile) > MAX_DOCKERFILE_BYTES) {
            throw new StageFailure(ReasonCodes.BUILD_FAILED, "the Dockerfile is larger than "
                    + MAX_DOCKERFILE_BYTES / 1024 + " KB; keep scripts in files of the pushed folder and COPY them",
                    false);
        }
        return new String(Files.readAllBytes(dockerfile), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The worker's own folder (its temporary folder, private to it), where the run state goes when it can. */
    private static Path workerFolder(Request request) {
        String tmp = System.getProperty("java.io.tmpdir");
        return tmp == null || tmp.isBlank() ? request.privateFolder() : Path.of(tmp);
    }

    /** Removes every build container of the store (buildah's: {@code podman ps --external} lists them). */
    private void removeBuildContainers(AppStore store) throws IOException, InterruptedException {
        List<String> list = new ArrayList<>(store.args());
        list.addAll(List.of("ps", "--all", "--external", "--quiet", "--no-trunc"));
        PodmanCli.Result listed = podman.exec(list, Duration.ofSeconds(60));
        List<String> ids = listed.tail().stream().map(String::strip).filter(id -> id.matches("[0-9a-f]{12,64}"))
                .toList();
        if (!listed.ok() || ids.isEmpty()) {
            return;
        }
        List<String> remove = new ArrayList<>(store.args());
        remove.addAll(List.of("rm", "--force", "--"));
        remove.addAll(ids);
        podman.exec(remove, Duration.ofSeconds(60));
    }

    List<String> buildArgs(Request request, AppStore store, RegistryFiles files, String cgroupParent) {
        String memory = settings.memory().toMegabytes() + "m";
        List<String> args = new ArrayList<>(store.args());
        args.addAll(List.of("build", "--file", request.dockerfile().toString(), "--tag", request.image(),
                "--network", settings.network(), "--memory", memory, "--memory-swap", memory, "--cap-drop", "all", "--cap-add", OWNERSHIP_CAPABILITIES,
                // RLIMIT_NPROC holds for steps run as a user other than root (the kernel exempts root);
                // the cgroup below holds for all
                "--ulimit", "nproc=" + settings.pids() + ":" + settings.pids(),
                "--ulimit", "nofile=" + settings.openFiles() + ":" + settings.openFiles(),
                "--isolation", "oci", "--layers", "--pull=missing", "--signature-policy", files.policy().toString(),
                "--build-arg", REGISTRY_ARG + "=" + registry.registry()));
        if (!request.buildEnv().isEmpty()) {
            // a step's history names the build args it saw, values and all; without history podman finds
            // no cached layer either, so only builds with build env give up their layer cache
            args.add("--omit-history");
        }
        if (request.noCache()) {
            args.add("--no-cache");
        }
        files.authFile().ifPresent(auth -> args.addAll(List.of("--authfile", auth.toString())));
        if (cgroupParent != null) {
            args.addAll(List.of("--cgroup-parent", cgroupParent));
        }
        request.labels().forEach((key, value) -> args.addAll(List.of("--label", key + "=" + value)));
        // the name alone: podman reads the value from its environment
        request.buildEnv().keySet().stream().sorted().forEach(name -> args.addAll(List.of("--build-arg", name)));
        args.add(request.context().toString());
        return args;
    }

    private Pushed push(Request request, AppStore store, RegistryFiles files, Instant deadline, Consumer<String> log)
            throws StageFailure, IOException, InterruptedException {
        Path digestFile = request.privateFolder().resolve("digest");
        List<String> args = new ArrayList<>(store.args());
        args.addAll(List.of("push", "--digestfile", digestFile.toString()));
        if (registry.insecure()) {
            args.add("--tls-verify=false");
        }
        files.authFile().ifPresent(auth -> args.addAll(List.of("--authfile", auth.toString())));
        args.addAll(List.of(request.image(), "docker://" + request.image()));
        Map<String, String> env = podmanEnv(files);
        Duration wait = registry.retryWait();
        PodmanCli.Result pushed = null;
        for (int attempt = 1; attempt <= Math.max(1, registry.attempts()); attempt++) {
            pushed = podman.run(args, env, remaining(deadline), null, log);
            if (pushed.ok()) {
                return new Pushed(request.image(), Files.readString(digestFile).strip());
            }
            if (attempt < registry.attempts() && Instant.now().plus(wait).isBefore(deadline)) {
                log.accept("push failed, trying again in " + wait.toMillis() + " ms");
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
        throw new StageFailure(ReasonCodes.REGISTRY_UNAVAILABLE, "the image was built but could not be pushed to "
                + registry.registry() + " after " + registry.attempts() + " tries: " + lastLine(pushed)
                + "; replay the push once the registry answers", true);
    }

    /** The build's registries (PodmanCli adds the sbin folders netavark needs to the PATH). */
    private static Map<String, String> podmanEnv(RegistryFiles files) {
        return Map.of("CONTAINERS_REGISTRIES_CONF", files.registriesConf().toString());
    }

    private static void requireNoReservedNames(Map<String, String> env) throws StageFailure {
        for (String name : env.keySet()) {
            if (ReservedBuildEnv.PODMAN.reserved(name)) {
                throw new StageFailure(ReasonCodes.BUILD_FAILED, "the build env var " + name + " is reserved for the "
                        + "builder itself (" + ReservedBuildEnv.PODMAN.describe() + " are, in any case); "
                        + "rename it in --build-env or slipway.yml's build_env", false);
            }
        }
    }

    /** {@code host/ns-app:tag} to {@code ns-app}: the repository the app's images live in. */
    static String repository(String image) {
        String withoutTag = image.substring(0, image.lastIndexOf(':') > image.lastIndexOf('/')
                ? image.lastIndexOf(':') : image.length());
        return withoutTag.substring(withoutTag.indexOf('/') + 1);
    }

    private static Duration remaining(Instant deadline) throws StageFailure {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new StageFailure(ReasonCodes.STAGE_TIMEOUT, "the Dockerfile build and push took longer than "
                    + "slipway.staging.build-container.timeout; raise it (and slipway.staging.worker.timeout above it)",
                    false);
        }
        return left;
    }

    private static String lastLine(PodmanCli.Result result) {
        return result == null || result.tail().isEmpty() ? "no answer" : result.tail().get(result.tail().size() - 1);
    }
}
