package dev.slipway.staging.build.dockerfile;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.build.dockerfile.DockerfileReader.Instruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a Dockerfile may not ask of this builder, checked before podman reads it. buildah 1.28 (Debian 12)
 * runs as root on the host, so:
 * <ul>
 *   <li>{@code RUN} takes no flags: {@code --mount} reaches the host (CVE-2024-9675: a cache id of
 *       {@code ../..} mounts any host folder read-write; CVE-2024-1753: a bind mount follows an image's
 *       symbolic link out of it) and cache mounts are shared by every app; {@code --network} and
 *       {@code --security} would undo the build's walls;</li>
 *   <li>{@code ADD} fetches no URL and no git repository, and its source holds no variable (it could
 *       expand to a URL): podman fetches on the host, where the platform's unauthenticated registry,
 *       API and storage listen on loopback;</li>
 *   <li>no heredoc ({@code <<EOF}): buildah 1.28 does not know them, a later one would read the same
 *       text differently from this check;</li>
 *   <li>an {@code ONBUILD} trigger obeys the same rules, here and in a base image.</li>
 * </ul>
 * The file is read with its own escape character and with the other one too, so a line this reader
 * joins differently from the builder is still seen on its own.
 */
final class DockerfileRules {

    /** A heredoc word as BuildKit (and buildah from 1.35) reads it; not a here-string ({@code <<<}). */
    private static final Pattern HEREDOC = Pattern.compile("(^|[\\s\\[\",])\\d*<<-?[\"']?[A-Za-z_]");

    private DockerfileRules() {
    }

    /** Refuses the Dockerfile {@code text} at its first instruction this builder will not run. */
    static void check(String text) throws StageFailure {
        Optional<String> refusal = refusal(text);
        if (refusal.isPresent()) {
            throw new StageFailure(ReasonCodes.BUILD_FAILED, refusal.get(), false);
        }
    }

    /** Why the Dockerfile cannot be built here, read both ways, the first refused line first. */
    static Optional<String> refusal(String text) {
        char own = DockerfileReader.escapeOf(text);
        char other = own == '\\' ? '`' : '\\';
        for (List<Instruction> reading : List.of(DockerfileReader.read(text),
                DockerfileReader.read(text, Optional.of(other)))) {
            for (Instruction instruction : reading) {
                Optional<String> refused = refusal(instruction, "");
                if (refused.isPresent()) {
                    return Optional.of("the Dockerfile's line " + instruction.line() + " cannot be built: "
                            + refused.get());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why the triggers a base image carries ({@code ONBUILD}) cannot run here, if they cannot. The builder
     * reads each trigger as a Dockerfile of its own (a trigger holding a newline is several instructions).
     */
    static Optional<String> triggerRefusal(String image, List<String> triggers) {
        for (String trigger : triggers) {
            char own = DockerfileReader.escapeOf(trigger);
            char other = own == '\\' ? '`' : '\\';
            for (List<Instruction> reading : List.of(DockerfileReader.read(trigger),
                    DockerfileReader.read(trigger, Optional.of(other)))) {
                for (Instruction instruction : reading) {
                    Optional<String> refused = refusal(instruction, "ONBUILD ");
                    if (refused.isPresent()) {
                        return Optional.of("the base image " + image + " carries the trigger ONBUILD " + trigger.strip()
                                + ", which cannot run here: " + refused.get() + "; start from an image without it");
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> refusal(Instruction instruction, String within) {
        String name = within + instruction.keyword().toUpperCase(Locale.ROOT);
        switch (instruction.keyword()) {
            case "onbuild" -> {
                if (!within.isEmpty()) {
                    return Optional.of("ONBUILD ONBUILD is not allowed");
                }
                return refusal(instruction.trigger().orElseThrow(), "ONBUILD ");
            }
            case "run" -> {
                if (!instruction.flags().isEmpty()) {
                    return Optional.of(name + " " + flagName(instruction.flags().get(0)) + " is not allowed: build "
                            + "mounts (cache, bind, secret, ssh, tmpfs), --network and --security reach past the "
                            + "build's walls on this builder; COPY what the step needs from the pushed folder and "
                            + "RUN the step without flags");
                }
                return heredoc(instruction, name);
            }
            case "add" -> {
                Optional<String> heredoc = heredoc(instruction, name);
                return heredoc.isPresent() ? heredoc : addSource(instruction, name);
            }
            case "copy" -> {
                return heredoc(instruction, name);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static Optional<String> heredoc(Instruction instruction, String name) {
        if (HEREDOC.matcher(instruction.args()).find()) {
            return Optional.of(name + " with a heredoc (<<) is not supported by this builder; put the script or "
                    + "file in the pushed folder, COPY it, and RUN it");
        }
        return Optional.empty();
    }

    /**
     * An ADD source that podman would fetch (a URL or a git address, escapes and quotes aside, as the
     * builder drops them), or one with a variable that could become either.
     */
    private static Optional<String> addSource(Instruction instruction, String name) {
        List<String> words = words(instruction.args());
        List<String> sources = words.size() > 1 ? words.subList(0, words.size() - 1) : words;
        for (String source : sources) {
            String plain = source.replaceAll("[\\\\`\"'\\[\\],]", "");
            if (plain.contains("://") || plain.toLowerCase(Locale.ROOT).startsWith("git@")) {
                return Optional.of(name + " " + source + " is not allowed: podman would fetch it from this machine, "
                        + "outside the build's network walls; download it in a RUN step (RUN wget ... or curl ...), "
                        + "or put the file in the pushed folder and COPY it");
            }
            if (source.contains("$")) {
                return Optional.of(name + " " + source + " is not allowed: a variable in an ADD source could name "
                        + "a URL; write the path out, or use COPY");
            }
        }
        for (String word : words) {
            String plain = word.replaceAll("[\\\\`\"'\\[\\],]", "");
            if (plain.contains("://") || plain.toLowerCase(Locale.ROOT).startsWith("git@")) {
                return Optional.of(name + " " + word + " is not allowed: ADD fetches no URL on this builder; "
                        + "download it in a RUN step, or put the file in the pushed folder and COPY it");
            }
        }
        return Optional.empty();
    }

    /** The words of an instruction's arguments, plain or as a JSON array (split on quotes and commas too). */
    private static List<String> words(String args) {
        String trimmed = args.strip();
        List<String> words = new ArrayList<>();
        if (trimmed.startsWith("[")) {
            for (String part : trimmed.substring(1, trimmed.endsWith("]") ? trimmed.length() - 1 : trimmed.length())
                    .split("\"\\s*,\\s*\"")) {
                String word = part.strip();
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
            return words;
        }
        StringBuilder word = new StringBuilder();
        for (char c : trimmed.toCharArray()) {
            if (DockerfileReader.isSpace(c)) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    private static String flagName(String flag) {
        int equals = flag.indexOf('=');
        return equals < 0 ? flag : flag.substring(0, equals);
    }
}
