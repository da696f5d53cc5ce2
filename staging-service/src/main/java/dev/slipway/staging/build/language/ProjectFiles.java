package dev.slipway.staging.build.language;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.StageFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reading a project's own files as untrusted input: bounded in size, paths kept inside the source. */
final class ProjectFiles {

    private ProjectFiles() {
    }

    /** The file's text, or a failure naming the file and its limit when it is larger. */
    static String read(Path file, int maxBytes) throws IOException, StageFailure {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(maxBytes + 1);
        }
        if (bytes.length > maxBytes) {
            throw invalid(file.getFileName() + " is larger than " + maxBytes / 1024 + " KB, which no build file "
                    + "needs; make it smaller");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * {@code path} as a relative unix path that stays inside the source ({@code lib/../server.js} is
     * {@code server.js}), or empty when it would leave it, is absolute, or holds control characters.
     */
    static Optional<String> inside(String path) {
        if (path == null || path.isBlank() || path.length() > 1024 || path.startsWith("/")
                || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            return Optional.empty();
        }
        Path normal = Path.of(path).normalize();
        String text = normal.toString();
        if (text.isEmpty() || text.equals("..") || text.startsWith("../") || normal.isAbsolute()) {
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** A regular file at the top of the source (a link the unpacker resolved inside the app counts). */
    static boolean has(Path root, String name) {
        return Files.isRegularFile(root.resolve(name));
    }

    /** A project file that cannot be used, with what to fix. */
    static StageFailure invalid(String message) {
        return new StageFailure(ReasonCodes.BUILD_FAILED, message, false);
    }
}
