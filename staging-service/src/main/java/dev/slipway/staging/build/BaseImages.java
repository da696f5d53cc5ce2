package dev.slipway.staging.build;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import dev.slipway.baseimages.Busybox;
import dev.slipway.baseimages.JavaRuntime;
import dev.slipway.baseimages.SharedLibraries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds the jib builder's base images offline from files Debian installed, and pushes them:
 * {@code slipway/base-busybox:1}, Debian's static busybox as {@code /bin/busybox} and {@code /bin/sh},
 * which serves static sites ({@code busybox httpd}) and runs Procfile commands; and
 * {@code slipway/base-jvm:1}, the same plus a Java runtime made with jlink from the running JDK and
 * the few glibc libraries it links, which runs executable jars and Maven and Gradle builds;
 * {@code slipway/base-node:1}, busybox plus this machine's {@code node} and the libraries it links;
 * {@code slipway/base-python:1}, busybox plus {@code python3}, its standard library (without tests,
 * IDLE and Tk) and the libraries it and its extension modules link. Go apps run on the busybox
 * base. Run it through {@code scripts/base-images.sh [registry]}.
 */
public final class BaseImages {

    public static final String BUSYBOX = "slipway/base-busybox:1";
    public static final String JVM = "slipway/base-jvm:1";
    public static final String NODE = "slipway/base-node:1";
    public static final String PYTHON = "slipway/base-python:1";
    /** Where Debian installs the Node.js and Python interpreters. */
    static final Path NODE_BINARY = Path.of("/usr/bin/node");
    static final Path PYTHON_BINARY = Path.of("/usr/bin/python3");
    /** Parts of Python's standard library an app server never loads: tests, IDLE, Tk, the bundled wheels. */
    private static final java.util.regex.Pattern PYTHON_LEFT_OUT = java.util.regex.Pattern.compile(
            "(^|.*/)(__pycache__|test|tests|idlelib|tkinter|turtledemo|ensurepip|config-[^/]*)(/.*)?"
                    + "|lib-dynload/(_test|_xx|xx|_ctypes_test|_tkinter)[^/]*");
    /** Enough for servers (HTTP, JDBC, JMX, TLS); the desktop modules stay out with their X11 libraries. */
    private static final String MODULES = "java.base,java.compiler,java.instrument,java.logging,java.management,"
            + "java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,"
            + "java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.crypto.ec,jdk.httpserver,jdk.unsupported,"
            + "jdk.zipfs,jdk.management,java.desktop";

    private BaseImages() {
    }

    /** Pushes the busybox base to {@code registry}; answers its digest. */
    public static String pushBusybox(String registry, String username, String password) throws Exception {
        return push(Jib.fromScratch().addFileEntriesLayer(Busybox.layer().build())
                .setEnvironment(Map.of("PATH", "/bin")), registry + "/" + BUSYBOX, username, password);
    }

    /**
     * Pushes the JVM base to {@code registry}; answers its digest. The runtime is made once per JDK and kept;
     * inside a service image, which has no jlink nor ldd, its own runtime goes in as it is.
     */
    public static String pushJvm(String registry, String username, String password) throws Exception {
        return pushJvm(registry, username, password, Path.of(System.getProperty("java.home")),
                SharedLibraries.lister());
    }

    static String pushJvm(String registry, String username, String password, Path javaHome, List<String> lister)
            throws Exception {
        Path runtime = JavaRuntime.forImage(MODULES, javaHome);
        return push(Jib.fromScratch()
                        .addFileEntriesLayer(busyboxWithTmp().build())
                        .addFileEntriesLayer(SharedLibraries.layer("glibc",
                                SharedLibraries.linkedBy(JavaRuntime.serverBinaries(runtime), runtime, lister)))
                        .addFileEntriesLayer(JavaRuntime.layer(runtime))
                        .setEnvironment(Map.of("PATH", JavaRuntime.HOME + "/bin:/bin", "JAVA_HOME", JavaRuntime.HOME)),
                registry + "/" + JVM, username, password);
    }

    /** Pushes the Node.js base to {@code registry}; answers its digest. Needs {@code node} (Debian's nodejs). */
    public static String pushNode(String registry, String username, String password) throws Exception {
        Path node = required(NODE_BINARY, "nodejs");
        List<String> lister = SharedLibraries.lister();
        return push(Jib.fromScratch()
                        .addFileEntriesLayer(busyboxWithTmp()
                                // npm's bin scripts start with "#!/usr/bin/env node"
                                .addEntry(dev.slipway.baseimages.Busybox.BINARY, AbsoluteUnixPath.get("/usr/bin/env"),
                                        EXECUTABLE)
                                .build())
                        .addFileEntriesLayer(SharedLibraries.layer("libraries",
                                SharedLibraries.linkedBy(List.of(node.toRealPath()), null, lister)))
                        .addFileEntriesLayer(FileEntriesLayer.builder().setName("node")
                                .addEntry(node.toRealPath(), AbsoluteUnixPath.get("/usr/bin/node"), EXECUTABLE).build())
                        .setEnvironment(Map.of("PATH", "/usr/bin:/bin")),
                registry + "/" + NODE, username, password);
    }

    /**
     * Pushes the Python base to {@code registry}; answers its digest. Needs {@code python3} (Debian's
     * python3): the interpreter as {@code /usr/bin/python3}, its standard library where it looks for it.
     */
    public static String pushPython(String registry, String username, String password) throws Exception {
        Path python = required(PYTHON_BINARY, "python3").toRealPath();
        Path stdlib = Path.of("/usr/lib", python.getFileName().toString());
        if (!Files.isRegularFile(stdlib.resolve("os.py"))) {
            throw new IllegalStateException(stdlib + " holds no standard library of " + python
                    + ": apt-get install python3");
        }
        FileEntriesLayer.Builder library = FileEntriesLayer.builder().setName("python-stdlib");
        List<Path> extensions = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.walk(stdlib)) {
            for (Path file : files.sorted().toList()) {
                String relative = stdlib.relativize(file).toString();
                if (relative.isEmpty() || PYTHON_LEFT_OUT.matcher(relative).matches() || !Files.isRegularFile(file)) {
                    continue;
                }
                library.addEntry(file.toRealPath(), AbsoluteUnixPath.get(file.toString()),
                        Files.isExecutable(file) ? EXECUTABLE : READABLE);
                if (relative.startsWith("lib-dynload/") && relative.endsWith(".so")) {
                    extensions.add(file);
                }
            }
        }
        List<Path> binaries = new java.util.ArrayList<>(extensions);
        binaries.add(python);
        return push(Jib.fromScratch()
                        .addFileEntriesLayer(busyboxWithTmp().build())
                        .addFileEntriesLayer(SharedLibraries.layer("libraries",
                                SharedLibraries.linkedBy(binaries, stdlib, SharedLibraries.lister())))
                        .addFileEntriesLayer(library
                                .addEntry(python, AbsoluteUnixPath.get("/usr/bin/" + python.getFileName()), EXECUTABLE)
                                .addEntry(python, AbsoluteUnixPath.get("/usr/bin/python3"), EXECUTABLE)
                                .build())
                        .setEnvironment(Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8")),
                registry + "/" + PYTHON, username, password);
    }

    private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
    private static final FilePermissions READABLE = FilePermissions.fromOctalString("644");

    /** Busybox and a writable {@code /tmp}. */
    private static FileEntriesLayer.Builder busyboxWithTmp() throws java.io.IOException {
        Path emptyTmp = Files.createTempDirectory("slipway-empty-tmp");
        return Busybox.layer().addEntry(emptyTmp, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"));
    }

    private static Path required(Path binary, String debianPackage) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: apt-get install " + debianPackage
                    + " (scripts/setup-debian.sh)");
        }
        return binary;
    }

    private static String push(JibContainerBuilder image, String reference, String username, String password)
            throws Exception {
        RegistryImage target = RegistryImage.named(reference);
        if (username != null && !username.isBlank()) {
            target.addCredential(username, password);
        }
        JibContainer pushed = image.setCreationTime(Instant.EPOCH).setEntrypoint("/bin/sh")
                .containerize(Containerizer.to(target).setAllowInsecureRegistries(true).setToolName("slipway"));
        return pushed.getDigest().toString();
    }

    /** Makes one base and pushes it; answers its digest. */
    @FunctionalInterface
    public interface Maker {
        String push(String registry, String username, String password) throws Exception;
    }

    /**
     * A base image the builds start from; {@code required} when the platform cannot build without it.
     * A base that is not required needs an interpreter the machine may lack (its maker then throws
     * {@link IllegalStateException} naming the package): only its language stays unbuildable.
     */
    public record Base(String image, boolean required, Maker maker) {
    }

    /** Every base, in the order they are made. */
    public static List<Base> all() {
        return List.of(new Base(BUSYBOX, true, BaseImages::pushBusybox), new Base(JVM, true, BaseImages::pushJvm),
                new Base(NODE, false, BaseImages::pushNode), new Base(PYTHON, false, BaseImages::pushPython));
    }

    /** {@code BaseImages [registry] [username] [password]}; registry defaults to 127.0.0.1:5000. */
    public static void main(String[] args) throws Exception {
        String registry = args.length > 0 ? args[0] : "127.0.0.1:5000";
        String username = args.length > 1 ? args[1] : null;
        String password = args.length > 2 ? args[2] : null;
        for (Base base : all()) {
            try {
                System.out.println("pushed " + registry + "/" + base.image() + " "
                        + base.maker().push(registry, username, password));
            } catch (IllegalStateException missing) {
                if (base.required()) {
                    throw missing;
                }
                // where node or python3 is missing (a service image), only their languages stay unbuildable
                System.out.println("skipped " + registry + "/" + base.image() + ": " + missing.getMessage());
            }
        }
    }
}
