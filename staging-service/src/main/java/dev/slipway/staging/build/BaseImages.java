package dev.slipway.staging.build;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
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
 * the few glibc libraries it links, which runs executable jars. Run it through
 * {@code scripts/base-images.sh [registry]}.
 */
public final class BaseImages {

    public static final String BUSYBOX = "slipway/base-busybox:1";
    public static final String JVM = "slipway/base-jvm:1";
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
        Path emptyTmp = Files.createTempDirectory("slipway-empty-tmp");
        return push(Jib.fromScratch()
                        .addFileEntriesLayer(Busybox.layer()
                                .addEntry(emptyTmp, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"))
                                .build())
                        .addFileEntriesLayer(SharedLibraries.layer("glibc",
                                SharedLibraries.linkedBy(JavaRuntime.serverBinaries(runtime), runtime, lister)))
                        .addFileEntriesLayer(JavaRuntime.layer(runtime))
                        .setEnvironment(Map.of("PATH", JavaRuntime.HOME + "/bin:/bin", "JAVA_HOME", JavaRuntime.HOME)),
                registry + "/" + JVM, username, password);
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

    /** {@code BaseImages [registry] [username] [password]}; registry defaults to 127.0.0.1:5000. */
    public static void main(String[] args) throws Exception {
        String registry = args.length > 0 ? args[0] : "127.0.0.1:5000";
        String username = args.length > 1 ? args[1] : null;
        String password = args.length > 2 ? args[2] : null;
        System.out.println("pushed " + registry + "/" + BUSYBOX + " " + pushBusybox(registry, username, password));
        System.out.println("pushed " + registry + "/" + JVM + " " + pushJvm(registry, username, password));
    }
}
