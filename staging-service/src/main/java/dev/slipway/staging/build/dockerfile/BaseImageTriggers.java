package dev.slipway.staging.build.dockerfile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ONBUILD} triggers of an image in the app's store, as buildah reads them from the image's
 * configuration (the {@code Docker.Config.OnBuild} it runs when a build starts from the image): podman
 * does not show them. Each is printed Go-quoted, one a line, so a trigger holding a newline stays whole.
 */
final class BaseImageTriggers {

    private BaseImageTriggers() {
    }

    /** {@code buildah} beside the podman command, or on the PATH when podman is named without a folder. */
    static String buildahBeside(String podman) {
        Path folder = Path.of(podman).getParent();
        return folder == null ? "buildah" : folder.resolve("buildah").toString();
    }

    static List<String> of(String buildah, List<String> storeArgs, String image, Map<String, String> env,
                           Duration timeout) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(buildah));
        // buildah takes podman's --root, --runroot and --storage-opt, not its --tmpdir
        for (int at = 0; at < storeArgs.size(); at += 2) {
            if (!storeArgs.get(at).equals("--tmpdir")) {
                line.addAll(storeArgs.subList(at, at + 2));
            }
        }
        line.addAll(List.of("inspect", "--type", "image", "--format",
                "{{range .Docker.Config.OnBuild}}{{printf \"%q\\n\" .}}{{end}}", "--", image));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                process.getInputStream().transferTo(output);
            } catch (IOException closed) {
                // killed: what it said is enough for the message
            }
        }, "buildah-inspect");
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException("buildah did not show the triggers of " + image + " within " + timeout.toSeconds()
                    + "s");
        }
        reader.join(5_000);
        String text = output.toString(StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("buildah could not show the triggers of " + image + ": " + text.strip());
        }
        List<String> triggers = new ArrayList<>();
        for (String quoted : text.split("\n")) {
            if (!quoted.isBlank()) {
                triggers.add(unquote(quoted.strip()));
            }
        }
        return triggers;
    }

    /** Go's {@code %q} undone: a double-quoted string with Go's escapes. */
    static String unquote(String quoted) throws IOException {
        if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
            throw new IOException("buildah printed a trigger not quoted as asked: " + quoted);
        }
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int at = 1; at < quoted.length() - 1; at++) {
            char c = quoted.charAt(at);
            if (c != '\\') {
                flush(bytes, text);
                text.append(c);
                continue;
            }
            char kind = quoted.charAt(++at);
            if (kind != 'x' && (kind < '0' || kind > '7')) {
                flush(bytes, text); // bytes of \x and octal escapes end where another character begins
            }
            switch (kind) {
                case 'a' -> text.append('\u0007');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'v' -> text.append('\u000B');
                case '\\', '"', '\'' -> text.append(kind);
                case 'x' -> {
                    bytes.write(Integer.parseInt(quoted.substring(at + 1, at + 3), 16));
                    at += 2;
                    continue;
                }
                case 'u' -> {
                    text.appendCodePoint(Integer.parseInt(quoted.substring(at + 1, at + 5), 16));
                    at += 4;
                }
                case 'U' -> {
                    text.appendCodePoint(Integer.parseInt(quoted.substring(at + 1, at + 9), 16));
                    at += 8;
                }
                default -> {
                    if (kind >= '0' && kind <= '7') {
                        bytes.write(Integer.parseInt(quoted.substring(at, at + 3), 8));
                        at += 2;
                        continue;
                    }
                    throw new IOException("an escape Go does not write: \\" + kind);
                }
            }
        }
        flush(bytes, text);
        return text.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder text) {
        if (bytes.size() > 0) {
            text.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
        }
    }
}
