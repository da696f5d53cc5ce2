package dev.slipway.staging.build;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Builds the jib builder's base images offline from files Debian installed, and pushes them:
 * {@code slipway/base-busybox:1}, Debian's static busybox as {@code /bin/busybox} and {@code /bin/sh},
 * which serves static sites ({@code busybox httpd}) and runs Procfile commands; and
 * {@code slipway/base-jvm:1}, the same plus a Java runtime made with jlink from the running JDK and
 * the few glibc libraries it links, which runs executable jars. Run it through
 * {@code scripts/base-images.sh [registry]}. Inside a service image, which has a Java runtime but
 * neither {@code jlink} nor {@code ldd}, the running runtime goes into the JVM base as it is, and the
 * dynamic loader itself ({@code ld.so --list}, what {@code ldd} runs) lists the libraries it links.
 */
public final class BaseImages {

    public static final String BUSYBOX = "slipway/base-busybox:1";
    public static final String JVM = "slipway/base-jvm:1";
    private static final String JAVA_HOME = "/opt/java";
    /** Enough for servers (HTTP, JDBC, JMX, TLS); the desktop modules stay out with their X11 libraries. */
    private static final String MODULES = "java.base,java.compiler,java.instrument,java.logging,java.management,"
            + "java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,"
            + "java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.crypto.ec,jdk.httpserver,jdk.unsupported,"
            + "jdk.zipfs,jdk.management,java.desktop";
    private static final Path BUSYBOX_BINARY = Path.of("/bin/busybox");
    /** glibc's dynamic loaders (x86_64, aarch64): {@code <loader> --list <binary>} is what {@code ldd} does. */
    private static final List<Path> LOADERS = List.of(Path.of("/lib64/ld-linux-x86-64.so.2"),
            Path.of("/lib/ld-linux-aarch64.so.1"));

    private BaseImages() {
    }

    /** Pushes the busybox base to {@code registry}; answers its digest. */
    public static String pushBusybox(String registry, String username, String password) throws Exception {
        if (!Files.isExecutable(BUSYBOX_BINARY)) {
            throw new IllegalStateException("/bin/busybox is missing: apt-get install busybox-static");
        }
        RegistryImage target = RegistryImage.named(registry + "/" + BUSYBOX);
        if (username != null && !username.isBlank()) {
            target.addCredential(username, password);
        }
        FilePermissions executable = FilePermissions.fromOctalString("755");
        JibContainer pushed = Jib.fromScratch()
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("busybox")
                        .addEntry(BUSYBOX_BINARY, AbsoluteUnixPath.get("/bin/busybox"), executable)
                        .addEntry(BUSYBOX_BINARY, AbsoluteUnixPath.get("/bin/sh"), executable)
                        .build())
                .setCreationTime(Instant.EPOCH)
                .setEnvironment(java.util.Map.of("PATH", "/bin"))
                .setEntrypoint("/bin/sh")
                .containerize(Containerizer.to(target).setAllowInsecureRegistries(true).setToolName("slipway"));
        return pushed.getDigest().toString();
    }

    /** Pushes the JVM base to {@code registry}; answers its digest. The runtime is made once per JDK and kept. */
    public static String pushJvm(String registry, String username, String password) throws Exception {
        return pushJvm(registry, username, password, Path.of(System.getProperty("java.home")),
                libraryLister(searchPath(), LOADERS));
    }

    static String pushJvm(String registry, String username, String password, Path javaHome, List<String> lister)
            throws Exception {
        Path runtime = javaRuntime(javaHome);
        FilePermissions executable = FilePermissions.fromOctalString("755");
        FileEntriesLayer.Builder libraries = FileEntriesLayer.builder().setName("glibc");
        for (String library : linkedLibraries(runtime, lister)) {
            libraries.addEntry(Path.of(library).toRealPath(), AbsoluteUnixPath.get(library), executable);
        }
        Path emptyTmp = Files.createTempDirectory("slipway-empty-tmp");
        RegistryImage target = RegistryImage.named(registry + "/" + JVM);
        if (username != null && !username.isBlank()) {
            target.addCredential(username, password);
        }
        JibContainer pushed = Jib.fromScratch()
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("busybox")
                        .addEntry(BUSYBOX_BINARY, AbsoluteUnixPath.get("/bin/busybox"), executable)
                        .addEntry(BUSYBOX_BINARY, AbsoluteUnixPath.get("/bin/sh"), executable)
                        .addEntry(emptyTmp, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"))
                        .build())
                .addFileEntriesLayer(libraries.build())
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("java")
                        .addEntryRecursive(runtime, AbsoluteUnixPath.get(JAVA_HOME), (source, inImage) ->
                                Files.isDirectory(source) || Files.isExecutable(source) ? executable
                                        : FilePermissions.fromOctalString("644"))
                        .build())
                .setCreationTime(Instant.EPOCH)
                .setEnvironment(java.util.Map.of("PATH", JAVA_HOME + "/bin:/bin", "JAVA_HOME", JAVA_HOME))
                .setEntrypoint("/bin/sh")
                .containerize(Containerizer.to(target).setAllowInsecureRegistries(true).setToolName("slipway"));
        return pushed.getDigest().toString();
    }

    /**
     * A jlink'd runtime of the JDK at {@code javaHome}, made once and kept under the temp folder; a runtime
     * without jlink (a JRE, such as a service image's) is used as it is.
     */
    static Path javaRuntime(Path javaHome) throws Exception {
        Path jlink = javaHome.resolve("bin").resolve("jlink");
        if (!Files.isExecutable(jlink)) {
            return javaHome;
        }
        Path kept = Path.of(System.getProperty("java.io.tmpdir"), "slipway-jre-" + Runtime.version().feature() + "-"
                + Integer.toHexString(MODULES.hashCode()));
        if (Files.isExecutable(kept.resolve("bin").resolve("java"))) {
            return kept;
        }
        Path building = Files.createTempDirectory("slipway-jre").resolve("jre");
        Process process = new ProcessBuilder(jlink.toString(), "--add-modules", MODULES, "--strip-debug",
                "--no-header-files", "--no-man-pages", "--compress=2", "--output", building.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("jlink failed: " + output);
        }
        try {
            Files.move(building, kept, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException madeMeanwhile) {
            return kept;
        }
        return kept;
    }

    /**
     * The shared libraries the runtime's programs and libraries link (as {@code ldd} resolves them on
     * this machine), leaving out the desktop ones, whose X11 libraries a server never loads.
     */
    static java.util.SortedSet<String> linkedLibraries(Path runtime, List<String> lister) throws Exception {
        java.util.List<Path> binaries = new java.util.ArrayList<>();
        binaries.add(runtime.resolve("bin").resolve("java"));
        try (var files = Files.walk(runtime.resolve("lib"))) {
            files.filter(file -> file.getFileName().toString().endsWith(".so"))
                    .filter(file -> !file.getFileName().toString().matches(
                            "lib(awt.*|fontmanager|jawt|splashscreen|lcms|javajpeg|mlib_image|jsound)\\.so"))
                    .forEach(binaries::add);
        }
        java.util.SortedSet<String> libraries = new java.util.TreeSet<>();
        for (Path binary : binaries) {
            List<String> command = new java.util.ArrayList<>(lister);
            command.add(binary.toString());
            Process ldd = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(ldd.getInputStream().readAllBytes());
            ldd.waitFor();
            // lines read "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)" or "/lib64/ld-linux... (0x...)"
            for (String line : output.split("\n")) {
                String resolved = line.contains("=>") ? line.substring(line.indexOf("=>") + 2) : line;
                String path = resolved.trim().split("\\s+")[0];
                if (path.startsWith("/") && !path.startsWith(runtime.toString())) {
                    libraries.add(path);
                }
            }
        }
        return libraries;
    }

    /**
     * The command that lists a binary's libraries: {@code ldd} when one is on {@code path}, else the first
     * of {@code loaders} that exists ({@code <loader> --list}).
     */
    static List<String> libraryLister(List<Path> path, List<Path> loaders) {
        for (Path folder : path) {
            if (Files.isExecutable(folder.resolve("ldd"))) {
                return List.of(folder.resolve("ldd").toString());
            }
        }
        for (Path loader : loaders) {
            if (Files.isExecutable(loader)) {
                return List.of(loader.toString(), "--list");
            }
        }
        throw new IllegalStateException("neither ldd nor a dynamic loader (" + loaders + ") is here: the JVM base "
                + "cannot tell which libraries java needs; only the busybox base can be made on this machine");
    }

    private static List<Path> searchPath() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return java.util.Arrays.stream(path.split(java.io.File.pathSeparator)).filter(folder -> !folder.isBlank())
                .map(Path::of).toList();
    }

    /** {@code BaseImages [registry] [username] [password]}; registry defaults to 127.0.0.1:5000. */
    public static void main(String[] args) throws Exception {
        String registry = args.length > 0 ? args[0] : "127.0.0.1:5000";
        String username = args.length > 1 ? args[1] : null;
        String password = args.length > 2 ? args[2] : null;
        System.out.println("pushed " + registry + "/" + BUSYBOX + " " + pushBusybox(registry, username, password));
        System.out.println("pushed " + registry + "/" + JVM + " " + pushJvm(registry, username, password));
    }
}
