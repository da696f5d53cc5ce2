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

/**
 * Builds the jib builder's base images offline from files Debian installed, and pushes them: today
 * {@code slipway/base-busybox:1}, Debian's static busybox as {@code /bin/busybox} and {@code /bin/sh},
 * which serves static sites ({@code busybox httpd}) and runs Procfile commands. Run it through
 * {@code scripts/base-images.sh [registry]}.
 */
public final class BaseImages {

    public static final String BUSYBOX = "slipway/base-busybox:1";
    private static final Path BUSYBOX_BINARY = Path.of("/bin/busybox");

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

    /** {@code BaseImages [registry] [username] [password]}; registry defaults to 127.0.0.1:5000. */
    public static void main(String[] args) throws Exception {
        String registry = args.length > 0 ? args[0] : "127.0.0.1:5000";
        String digest = pushBusybox(registry, args.length > 1 ? args[1] : null, args.length > 2 ? args[2] : null);
        System.out.println("pushed " + registry + "/" + BUSYBOX + " " + digest);
    }
}
