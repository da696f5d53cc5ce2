package dev.slipway.cli.push;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.CliException;
import dev.slipway.cli.NamespaceOption;
import dev.slipway.cli.api.ApiError;
import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.cli.output.OutputFormat;
import dev.slipway.cli.tracking.EventLines;
import dev.slipway.cli.tracking.PushFollower;
import dev.slipway.events.BuildSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** Uploads a folder or archive (or names an image), starts the push, prints its id, follows it to the URL. */
@Command(mixinStandardHelpOptions = true, name = "push", subcommands = PushStatusCommand.class, sortOptions = false,
        description = "Push a folder, an archive or an image and follow it until the app answers at its URL.",
        footer = {"", "Examples:",
                "  slipway push                                   # the current folder, app named after it",
                "  slipway push ./shop --route shop.example.com --env MODE=prod --instances 2",
                "  slipway push site.zip --name site --no-follow  # prints the push id and returns",
                "  slipway push --name web --container-image-url nginx:1.27",
                "  slipway push --build-env NPM_TOKEN --build-env NODE_ENV=production --no-cache",
                "  slipway push --dockerfile docker/Dockerfile.prod",
                "  slipway push status <push id>",
                "", "Defaults come from slipway.yml in the folder (name, instances, routes, env, builder-image, memory, "
                + "build_env, dockerfile); flags win. .slipwayignore (gitignore syntax) keeps files out; .git is never "
                + "sent.",
                "", "Build env (--build-env, build_env:) is set while the image is built, never in the image or the "
                + "running app (that is --env); values are sent to the server, which seals them. At most "
                + BuildSettings.MAX_ENV + " vars and 32 KB of values; a value is one line (base64-encode keys and "
                + "certificates)."})
public class PushCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH|ARCHIVE",
            description = "folder to push (default: the current one) or a .tar.gz/.tgz/.tar.bz2/.tar.xz/.tar/.zip")
    Path source;

    @Option(names = "--name", description = "app name (default: slipway.yml's, else the folder's name)")
    String name;

    @Option(names = "--route", description = "host[/path] to serve the app at; repeat for more")
    List<String> routes;

    @Option(names = "--env", description = "KEY=VALUE environment variable; repeat for more")
    Map<String, String> env;

    @Option(names = "--instances", description = "number of instances")
    Integer instances;

    @Option(names = "--memory", description = "memory of each instance, e.g. 256M or 1G (default: the platform's; "
            + "the platform refuses more than its cap)")
    String memory;

    @Option(names = "--builder-image", description = "builder image to stage with")
    String builderImage;

    @Option(names = "--build-env", paramLabel = "KEY[=VALUE]", description = "env var while the image is built "
            + "(not in the image); KEY alone takes its value from this shell; repeat for more")
    List<String> buildEnv;

    @Option(names = "--no-cache", description = "build without the app's build cache (it is emptied; this build "
            + "fills it again)")
    boolean noCache;

    @Option(names = "--dockerfile", paramLabel = "PATH", description = "build with this Dockerfile, relative to the "
            + "folder (default: a Dockerfile at its top, if any)")
    String dockerfile;

    @Option(names = "--container-image-url", description = "run this image as is; nothing is uploaded or built")
    String image;

    @Option(names = "--no-follow", description = "print the push id and return without following it")
    boolean noFollow;

    @Option(names = "--manifest", description = "manifest to read instead of slipway.yml in the folder")
    Path manifestFile;

    /** json: the followed events as CloudEvents JSON lines. */
    @Mixin
    OutputFormat output;

    @Mixin
    NamespaceOption namespaceOption;

    PushCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        Path folderOrArchive = source == null ? Path.of("").toAbsolutePath() : source.toAbsolutePath();
        if (image == null && !Files.exists(folderOrArchive)) {
            throw CliException.usage(folderOrArchive + " does not exist; name a folder or an archive to push");
        }
        Manifest manifest = Manifest.read(manifestFile != null ? manifestFile
                : Files.isDirectory(folderOrArchive) ? folderOrArchive.resolve(Manifest.FILE_NAME) : Path.of(
                        Manifest.FILE_NAME + ".absent"));
        // checked before anything is sent, with the rules the server applies
        BuildRequest build = BuildRequest.of(manifest.buildEnv(), buildEnv, System::getenv, noCache,
                dockerfile != null ? dockerfile : manifest.dockerfile(),
                Files.isDirectory(folderOrArchive) ? folderOrArchive : null);
        if (image != null && (buildEnv != null || noCache || dockerfile != null)) {
            throw CliException.usage("--build-env, --no-cache and --dockerfile build source; an image given with "
                    + "--container-image-url runs as is");
        }
        SlipwayApi api = context.api();
        String namespace = namespaceOption.resolve(context);
        String app = name != null ? name : manifest.name() != null ? manifest.name() : nameFrom(folderOrArchive);
        String appPath = "/api/v1/namespaces/" + namespace + "/applications/" + app;
        ensureApp(api, namespace, app, manifest);

        String pushId;
        if (image != null) {
            pushId = api.post(appPath + "/deployments", Map.of("image", image)).path("id").asString();
        } else {
            String blobUid = upload(api, appPath, folderOrArchive);
            Map<String, Object> stage = new LinkedHashMap<>();
            stage.put("blobuid", blobUid);
            String builder = builderImage != null ? builderImage : manifest.builderImage();
            if (builder != null) {
                stage.put("builderimage", builder);
            }
            build.addTo(stage);
            pushId = api.post(appPath + "/stage", stage).path("stage").path("id").asString();
        }
        context.err().println("Push " + pushId + " started for app " + namespace + "/" + app);
        context.err().flush();
        PushFollower.started(context, pushId, output.json());
        if (noFollow) {
            context.err().println("Follow it with: slipway events " + pushId + " --follow");
            context.err().flush();
            return 0;
        }
        return PushFollower.follow(context, api, pushId, output.json());
    }

    /** Creates the app on its first push; later pushes change only what the flags or manifest name. */
    private void ensureApp(SlipwayApi api, String namespace, String app, Manifest manifest) {
        Integer wantedInstances = instances != null ? instances : manifest.instances();
        List<String> wantedRoutes = routes != null ? routes : manifest.routes();
        Map<String, String> wantedEnv = new LinkedHashMap<>();
        if (manifest.env() != null) {
            wantedEnv.putAll(manifest.env());
        }
        if (env != null) {
            wantedEnv.putAll(env);
        }
        Map<String, Object> configuration = new LinkedHashMap<>();
        if (wantedInstances != null) {
            configuration.put("instances", wantedInstances);
        }
        if (wantedRoutes != null) {
            configuration.put("routes", wantedRoutes);
        }
        if (!wantedEnv.isEmpty()) {
            configuration.put("environment", wantedEnv);
        }
        if (memory != null) {
            configuration.put("memory", MemoryFlag.megabytes(memory, "--memory"));
        } else if (manifest.memory() != null) {
            configuration.put("memory", manifest.memory());
        }
        String apps = "/api/v1/namespaces/" + namespace + "/applications";
        if (api.find(apps + "/" + app).isEmpty() && create(api, apps, app, configuration)) {
            context.err().println("Created app " + namespace + "/" + app);
        } else if (!configuration.isEmpty()) {
            api.patch(apps + "/" + app, configuration);
        }
    }

    /**
     * False when a push running at the same time (a CI job's sibling) created the app first: that is no
     * error for a push, which then applies its configuration as to any existing app.
     */
    private boolean create(SlipwayApi api, String apps, String app, Map<String, Object> configuration) {
        try {
            api.post(apps, Map.of("name", app, "configuration", configuration));
            return true;
        } catch (ApiError conflict) {
            if (conflict.status() != 409) {
                throw conflict;
            }
            return false;
        }
    }

    private String upload(SlipwayApi api, String appPath, Path folderOrArchive) throws IOException {
        Path archive = folderOrArchive;
        Path temporary = Files.isDirectory(folderOrArchive) ? Files.createTempFile("slipway-push", ".tar.gz") : null;
        try {
            if (temporary != null) {
                SourceArchive.Written written = SourceArchive.of(folderOrArchive, temporary);
                context.err().println("Packed " + written.files() + " files from " + folderOrArchive + " ("
                        + EventLines.bytes(written.bytes()) + ")");
                archive = temporary;
            }
            UploadProgress progress = new UploadProgress(context.err(), context.terminal().present(), Files.size(archive));
            JsonNode stored = api.upload(appPath + "/store", archive, progress);
            progress.done();
            return stored.path("blobuid").asString();
        } finally {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** An app name from a folder or archive name: lower case, DNS-label characters only. */
    static String nameFrom(Path path) {
        String base = path.getFileName() == null ? "app" : path.getFileName().toString();
        base = base.replaceFirst("(\\.tar)?\\.(gz|tgz|bz2|tbz2|xz|txz|zip|tar)$", "");
        String cleaned = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        return cleaned.isEmpty() ? "app" : cleaned.length() > 63 ? cleaned.substring(0, 63) : cleaned;
    }
}
