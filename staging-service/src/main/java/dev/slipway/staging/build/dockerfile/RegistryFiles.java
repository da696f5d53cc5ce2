package dev.slipway.staging.build.dockerfile;

import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.podman.RegistryAuth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The files podman reads about registries for one build, in a folder only the worker's user may read:
 * which registry speaks plain HTTP (the platform's own, when it is local), the registry's credentials
 * (never on a command line), and the pull policy. The policy takes images from registries only (no
 * archive or directory on the host), and from the platform's registry only its {@code slipway/} base
 * images and the app's own earlier images: another tenant's image is never a base.
 */
record RegistryFiles(Path registriesConf, Path policy, Optional<Path> authFile) {

    static RegistryFiles write(Path folder, BuildProperties build, String appRepository) throws IOException {
        AppStore.privateFolder(folder);
        String registry = build.registry();
        Path conf = privateFile(folder.resolve("registries.conf"), "unqualified-search-registries = [\"docker.io\"]\n"
                + (build.insecure() ? "\n[[registry]]\nlocation = \"" + registry + "\"\ninsecure = true\n" : ""));
        Path policy = privateFile(folder.resolve("policy.json"), """
                {"default": [{"type": "reject"}],
                 "transports": {
                  "docker": {
                   "": [{"type": "insecureAcceptAnything"}],
                   "%1$s": [{"type": "reject"}],
                   "%1$s/slipway": [{"type": "insecureAcceptAnything"}],
                   "%1$s/%2$s": [{"type": "insecureAcceptAnything"}]
                  },
                  "containers-storage": {"": [{"type": "insecureAcceptAnything"}]}
                 }}
                """.formatted(registry, appRepository));
        Optional<Path> auth = Optional.empty();
        if (!build.registryUsername().isBlank()) {
            auth = Optional.of(privateFile(folder.resolve("auth.json"),
                    RegistryAuth.json(registry, build.registryUsername(), build.registryPassword())));
        }
        return new RegistryFiles(conf, policy, auth);
    }

    private static Path privateFile(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, text);
    }
}
