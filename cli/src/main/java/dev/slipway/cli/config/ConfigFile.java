package dev.slipway.cli.config;

import dev.slipway.cli.CliException;
import dev.slipway.events.EventJson;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's settings file: {@code $SLIPWAY_CONFIG}, else {@code $XDG_CONFIG_HOME/slipway/config.json},
 * else {@code ~/.config/slipway/config.json}. It holds a CLI token (or, written by an older CLI or by
 * local mode, a password), so only its owner may read it (mode 0600, written that way from the first
 * byte).
 */
public record ConfigFile(Path path) {

    public static ConfigFile forUser(Map<String, String> environment) {
        String explicit = environment.get("SLIPWAY_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return new ConfigFile(Path.of(explicit));
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".config");
        return new ConfigFile(base.resolve("slipway").resolve("config.json"));
    }

    public Optional<CliConfig> load() {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventJson.mapper().readValue(Files.readAllBytes(path), CliConfig.class));
        } catch (IOException | RuntimeException unreadable) {
            throw new CliException("cannot read " + path + " (" + unreadable.getMessage()
                    + "); run 'slipway login <url>' again");
        }
    }

    public void save(CliConfig config) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(temporary, EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
            Files.move(temporary, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException("cannot write " + path + ": " + e.getMessage());
        }
    }

    public boolean delete() {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new CliException("cannot remove " + path + ": " + e.getMessage());
        }
    }
}
