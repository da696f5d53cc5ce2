package dev.slipway.staging.build.dockerfile;

import dev.slipway.staging.build.podman.BuildContainerSettings;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.BuildProperties;
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
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds an image from a Dockerfile with {@code podman build} and pushes it, from a stage worker.
 * Each {@code RUN} step runs in a container with no capabilities, a memory limit (swap included), the
 * build's process limit and the isolated build network; build env values reach podman through its
 * environment ({@code --build-arg NAME} takes the value from there), never its command line, and an
 * image built with them keeps no history that would quote them. Layers are cached in the app's own podman store (its
 * build cache folder), so one app's build never meets another's layers or images; the image itself
 * leaves the store once pushed.
 */
public final class DockerfileImages {

    /** The build arg naming the platform's registry, for {@code FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1}. */
    public static final String REGISTRY_ARG = "SLIPWAY_REGISTRY";
    /** Environment names podman, buildah and their libraries read: a build env var may not change how podman runs. */
    private static final List<String> RESERVED_PREFIXES = List.of("BUILDAH_", "CONTAINERS_", "PODMAN_", "STORAGE_",
            "REGISTRY_AUTH", "DOCKER_", "XDG_", "LD_", "GODEBUG", "GOGC", "GOMAXPROCS", "GOTRACEBACK", "SSL_", "NOTIFY_SOCKET", "TMPDIR", "HOME", "PATH",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "TZ", "LANG", "LC_", "SLIPWAY_REGISTRY");

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
        Instant deadline = Instant.now().plus(settings.timeout());
        RegistryFiles files = RegistryFiles.write(request.privateFolder(), registry, repository(request.image()));
        podman.ensureIsolatedNetwork(settings.network(), Map.of("dev.slipway.purpose", "build"));
        BuildCgroup.Result cgroup = BuildCgroup.make("slipway-build-" + request.privateFolder().getParent()
                .getFileName() + "-" + ProcessHandle.current().pid(), settings.pids());
        if (!cgroup.warning().isEmpty()) {
            log.accept("warning: " + cgroup.warning());
        }
        Map<String, String> env = new HashMap<>(request.buildEnv());
        env.putAll(podmanEnv(files));
        try {
            Duration buildTime = remaining(deadline);
            PodmanCli.Result built = podman.run(buildArgs(request, files, cgroup.cgroup().map(BuildCgroup::parent)
                    .orElse(null)), env, buildTime, null, log);
            if (!built.ok()) {
                throw BuildFailures.of(built, settings, settings.timeout());
            }
            return push(request, files, deadline, log);
        } finally {
            cgroup.cgroup().ifPresent(BuildCgroup::remove);
            // the image is in the registry now: its name goes, its layers stay as the cache (removing the
            // image would take the untagged layers of every step below it too)
            List<String> untag = new ArrayList<>(storeArgs(request.store()));
            untag.addAll(List.of("untag", request.image()));
            podman.exec(untag, Duration.ofSeconds(60));
            // run state only (locks, mount counts): podman makes it again, as after a reboot
            deleteQuietly(runRoot(request.store()));
        }
    }

    List<String> buildArgs(Request request, RegistryFiles files, String cgroupParent) {
        String memory = settings.memory().toMegabytes() + "m";
        List<String> args = new ArrayList<>(storeArgs(request.store()));
        args.addAll(List.of("build", "--file", request.dockerfile().toString(), "--tag", request.image(),
                "--network", settings.network(), "--memory", memory, "--memory-swap", memory, "--cap-drop", "all", "--cap-add", OWNERSHIP_CAPABILITIES,
                "--isolation", "oci", "--layers", "--pull=always", "--signature-policy", files.policy().toString(),
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

    private Pushed push(Request request, RegistryFiles files, Instant deadline, Consumer<String> log)
            throws StageFailure, IOException, InterruptedException {
        Path digestFile = request.privateFolder().resolve("digest");
        List<String> args = new ArrayList<>(storeArgs(request.store()));
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

    private static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a leftover folder of run state harms nothing: the next build of the app uses it again
        }
    }

    /** The build's registries; and the sbin folders, where netavark finds iptables to wire the build network. */
    private static Map<String, String> podmanEnv(RegistryFiles files) {
        return Map.of("CONTAINERS_REGISTRIES_CONF", files.registriesConf().toString(),
                "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }

    private static void requireNoReservedNames(Map<String, String> env) throws StageFailure {
        for (String name : env.keySet()) {
            String upper = name.toUpperCase(Locale.ROOT);
            if (RESERVED_PREFIXES.stream().anyMatch(upper::startsWith)) {
                throw new StageFailure(ReasonCodes.BUILD_FAILED, "the build env var " + name + " is reserved for the "
                        + "builder itself (names starting with " + String.join(", ", RESERVED_PREFIXES) + " are); "
                        + "rename it in --build-env or slipway.yml's build_env", false);
            }
        }
    }

    /**
     * The app's own store: its layer cache, apart from every other app's. Its run state (locks, mounts)
     * goes to a short folder named after it: podman refuses a run root longer than 50 characters.
     */
    static List<String> storeArgs(Path store) {
        // no private mount of the store on itself: a failed build would leave it mounted, and the folder
        // could not be removed with its stage
        return List.of("--root", store.resolve("root").toString(), "--runroot", runRoot(store).toString(),
                "--storage-opt", "overlay.skip_mount_home=true");
    }

    /** Where podman keeps the run state of the store {@code store}. */
    public static Path runRoot(Path store) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(store.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Path.of("/tmp", "slipway-run-" + java.util.HexFormat.of().formatHex(hash, 0, 8));
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
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
