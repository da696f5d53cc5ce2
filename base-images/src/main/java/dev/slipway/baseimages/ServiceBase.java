package dev.slipway.baseimages;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The base of the services' images, made offline from this machine's files and written as an image
 * tar that the services' jib builds start from ({@code from.image = tar://...}): busybox as
 * {@code /bin/sh}, a jlink runtime with the modules Spring Boot, Kafka, TLS and JMX need, the glibc
 * libraries they link, util-linux's {@code prlimit} and {@code setsid} (staging-service's stage
 * workers run behind them), the CA certificates, a non-root user {@value #USER} and a writable
 * {@code /tmp}. An unchanged base is not written again.
 */
public final class ServiceBase {

    public static final String IMAGE = "slipway/service-base";
    /** The services' user: numeric, so that Kubernetes can check {@code runAsNonRoot} without a passwd lookup. */
    public static final String USER = "10001";
    public static final String USER_NAME = "slipway";

    /** Servers' modules: web (java.desktop for java.beans), TLS, JMX, JNDI, SQL, SASL/Kerberos for Kafka, JNA. */
    static final String MODULES = "java.base,java.compiler,java.desktop,java.instrument,java.logging,"
            + "java.management,java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,"
            + "java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,"
            + "jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,"
            + "jdk.management.agent,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,"
            + "jdk.zipfs";
    /** What stage workers run behind (see staging-service's WorkerLauncher). */
    private static final List<Path> TOOLS = List.of(Path.of("/usr/bin/prlimit"), Path.of("/usr/bin/setsid"));
    /** glibc parts loaded at run time (dlopen) rather than linked: JNA's and Go's native libraries, DNS. */
    private static final List<String> RUNTIME_LOADED = List.of("/lib/x86_64-linux-gnu/libdl.so.2",
            "/lib/x86_64-linux-gnu/libpthread.so.0", "/lib/x86_64-linux-gnu/librt.so.1",
            "/lib/x86_64-linux-gnu/libm.so.6", "/lib/x86_64-linux-gnu/libresolv.so.2",
            "/lib/x86_64-linux-gnu/libnss_files.so.2", "/lib/x86_64-linux-gnu/libnss_dns.so.2");
    private static final List<Path> CERTIFICATES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/ssl/certs/java/cacerts"));

    private ServiceBase() {
    }

    /** Writes the base to {@code tar} unless the one there was made from the same inputs. */
    public static boolean write(Path tar) throws Exception {
        Path runtime = JavaRuntime.jlinked(MODULES);
        List<Path> binaries = new ArrayList<>(JavaRuntime.serverBinaries(runtime));
        for (Path tool : TOOLS) {
            if (!Files.isExecutable(tool)) {
                throw new IllegalStateException(tool + " is missing: apt-get install util-linux");
            }
            binaries.add(tool);
        }
        SortedSet<String> libraries = SharedLibraries.linkedBy(binaries, runtime);
        RUNTIME_LOADED.stream().filter(library -> Files.exists(Path.of(library))).forEach(libraries::add);
        String inputs = String.join("\n", List.of(IMAGE, MODULES, Runtime.version().toString(),
                String.valueOf(libraries), String.valueOf(TOOLS), fingerprint(libraries), fingerprint(CERTIFICATES),
                fingerprint(List.of(Busybox.BINARY))));
        Path stamp = tar.resolveSibling(tar.getFileName() + ".inputs");
        if (Files.exists(tar) && Files.exists(stamp) && Files.readString(stamp).equals(inputs)) {
            return false;
        }
        Files.createDirectories(tar.toAbsolutePath().getParent());
        Path files = Files.createTempDirectory("slipway-service-base");
        try {
            Jib.fromScratch()
                    .addFileEntriesLayer(system(files))
                    .addFileEntriesLayer(SharedLibraries.layer("libraries", libraries))
                    .addFileEntriesLayer(JavaRuntime.layer(runtime))
                    .setCreationTime(Instant.EPOCH)
                    .setEnvironment(Map.of("PATH", JavaRuntime.HOME + "/bin:/usr/bin:/bin", "JAVA_HOME",
                            JavaRuntime.HOME, "LANG", "C.UTF-8"))
                    .setUser(USER)
                    .setWorkingDirectory(AbsoluteUnixPath.get("/home/" + USER_NAME))
                    .setEntrypoint("/bin/sh")
                    .containerize(Containerizer.to(TarImage.at(tar).named(IMAGE)).setToolName("slipway"));
        } finally {
            try (var walk = Files.walk(files)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.writeString(stamp, inputs);
        return true;
    }

    /** Shell, tools, certificates, users, {@code /tmp} and the user's home. */
    private static FileEntriesLayer system(Path files) throws IOException {
        FilePermissions executable = FilePermissions.fromOctalString("755");
        FilePermissions readable = FilePermissions.fromOctalString("644");
        Path passwd = Files.writeString(files.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\n"
                + USER_NAME + ":x:" + USER + ":" + USER + ":Slipway:/home/" + USER_NAME + ":/sbin/nologin\n",
                StandardCharsets.UTF_8);
        Path group = Files.writeString(files.resolve("group"), "root:x:0:\n" + USER_NAME + ":x:" + USER + ":\n",
                StandardCharsets.UTF_8);
        // glibc's default without this file asks DNS before /etc/hosts
        Path nsswitch = Files.writeString(files.resolve("nsswitch.conf"), "hosts: files dns\n", StandardCharsets.UTF_8);
        Path folder = Files.createDirectory(files.resolve("folder"));
        FileEntriesLayer.Builder layer = Busybox.layer();
        for (Path tool : TOOLS) {
            layer.addEntry(tool, AbsoluteUnixPath.get(tool.toString()), executable);
        }
        for (Path certificates : CERTIFICATES) {
            layer.addEntry(certificates.toRealPath(), AbsoluteUnixPath.get(certificates.toString()), readable);
        }
        Instant epoch = Instant.ofEpochSecond(1);
        return layer
                .addEntry(passwd, AbsoluteUnixPath.get("/etc/passwd"), readable)
                .addEntry(group, AbsoluteUnixPath.get("/etc/group"), readable)
                .addEntry(nsswitch, AbsoluteUnixPath.get("/etc/nsswitch.conf"), readable)
                // anyone may write in /tmp (Jib cannot set the sticky bit; only the service's user runs here)
                .addEntry(new FileEntry(folder, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"),
                        epoch))
                .addEntry(new FileEntry(folder, AbsoluteUnixPath.get("/home/" + USER_NAME),
                        FilePermissions.fromOctalString("755"), epoch, USER + ":" + USER))
                .build();
    }

    /** Paths, sizes and modification times: a changed Debian package changes the base. */
    private static String fingerprint(java.util.Collection<?> paths) throws IOException {
        StringBuilder fingerprint = new StringBuilder();
        for (Object path : paths) {
            Path real = Path.of(path.toString()).toRealPath();
            fingerprint.append(real).append(' ').append(Files.size(real)).append(' ')
                    .append(Files.getLastModifiedTime(real)).append('\n');
        }
        return fingerprint.toString();
    }

    /** {@code ServiceBase <tar>}: writes the services' base image there. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ServiceBase <image tar to write>");
        }
        long started = System.nanoTime();
        boolean written = write(Path.of(args[0]));
        System.out.println((written ? "wrote " : "unchanged ") + IMAGE + " at " + args[0] + " ("
                + (System.nanoTime() - started) / 1_000_000 + " ms)");
    }
}
