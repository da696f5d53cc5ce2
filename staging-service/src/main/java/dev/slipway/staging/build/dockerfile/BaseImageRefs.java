package dev.slipway.staging.build.dockerfile;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.build.dockerfile.DockerfileReader.Instruction;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images a Dockerfile's {@code FROM} lines start from, as the builder will name them: variables
 * replaced by the global {@code ARG}s (their defaults, or the build args given), earlier stages and
 * {@code scratch} left out. The worker pulls and inspects each before the build: a base image's
 * {@code ONBUILD} triggers run in the build as if the Dockerfile had them.
 */
final class BaseImageRefs {

    /** {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-word}}, {@code ${NAME:+word}}: what this reader expands. */
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:([A-Za-z_][A-Za-z0-9_]*)|\\{([A-Za-z_][A-Za-z0-9_]*)"
            + "(?:(:[-+])([^}$]*))?})");
    private static final Pattern ARG = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?");

    private BaseImageRefs() {
    }

    /** The base images of {@code dockerfile}, with {@code buildArgs} given to the build. */
    static List<String> of(String dockerfile, Map<String, String> buildArgs) throws StageFailure {
        Map<String, String> args = new HashMap<>();
        Set<String> declared = new HashSet<>();
        Set<String> stages = new HashSet<>();
        Set<String> images = new LinkedHashSet<>();
        boolean beforeFirstFrom = true;
        for (Instruction instruction : DockerfileReader.read(dockerfile)) {
            if (instruction.keyword().equals("arg") && beforeFirstFrom) {
                Matcher arg = ARG.matcher(instruction.args().strip());
                if (arg.matches()) {
                    declared.add(arg.group(1));
                    String value = arg.group(2) == null ? "" : unquote(arg.group(2).strip());
                    args.put(arg.group(1), buildArgs.getOrDefault(arg.group(1), value));
                }
            }
            if (!instruction.keyword().equals("from")) {
                continue;
            }
            beforeFirstFrom = false;
            if (!instruction.flags().isEmpty()) {
                throw refused(instruction, "FROM " + instruction.flags().get(0) + " is not supported here (the "
                        + "platform builds for this machine's own platform); drop the flag");
            }
            String[] words = instruction.args().strip().split("\\s+");
            String image = expand(instruction, words[0], args, declared);
            // an earlier stage's name is no image; the stage's own triggers were checked with the file
            if (!image.isEmpty() && !image.equalsIgnoreCase("scratch")
                    && !stages.contains(image.toLowerCase(Locale.ROOT))) {
                images.add(image);
            }
            if (words.length >= 3 && words[1].equalsIgnoreCase("as")) {
                stages.add(words[2].toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(images);
    }

    private static String expand(Instruction from, String word, Map<String, String> args, Set<String> declared)
            throws StageFailure {
        StringBuilder expanded = new StringBuilder();
        Matcher variable = VARIABLE.matcher(word);
        int at = 0;
        while (variable.find()) {
            expanded.append(word, at, variable.start());
            String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
            String value = declared.contains(name) ? args.getOrDefault(name, "") : "";
            String operator = variable.group(3);
            if (":-".equals(operator)) {
                value = value.isEmpty() ? variable.group(4) : value;
            } else if (":+".equals(operator)) {
                value = value.isEmpty() ? "" : variable.group(4);
            }
            expanded.append(value);
            at = variable.end();
        }
        expanded.append(word.substring(at));
        String image = expanded.toString();
        if (image.contains("$") || image.contains("\\") || image.contains("`") || image.contains("\"")
                || image.contains("'")) {
            throw refused(from, "FROM " + word + " names its image in a way this builder cannot check before the "
                    + "build; write the image out, or use ${NAME} of an ARG declared before the first FROM");
        }
        return image;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static StageFailure refused(Instruction instruction, String why) {
        return new StageFailure(ReasonCodes.BUILD_FAILED, "the Dockerfile's line " + instruction.line()
                + " cannot be built: " + why, false);
    }
}
