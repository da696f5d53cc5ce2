package dev.slipway.cli.push;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .slipwayignore} in gitignore syntax: {@code #} comments, {@code !} to take a pattern back,
 * a trailing {@code /} for folders only, a {@code /} elsewhere anchors the pattern at the top,
 * {@code *}, {@code ?}, {@code [...]} and {@code **}. The last pattern that matches decides.
 */
public final class IgnoreRules {

    private record Rule(Pattern pattern, boolean negated, boolean foldersOnly) {
    }

    private final List<Rule> rules;

    private IgnoreRules(List<Rule> rules) {
        this.rules = rules;
    }

    public static IgnoreRules none() {
        return new IgnoreRules(List.of());
    }

    /** The rules in {@code folder/.slipwayignore}, or none when there is no such file. */
    public static IgnoreRules of(Path folder) throws IOException {
        Path file = folder.resolve(".slipwayignore");
        return Files.isRegularFile(file) ? parse(Files.readAllLines(file)) : none();
    }

    public static IgnoreRules parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.stripTrailing();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean negated = line.startsWith("!");
            if (negated || line.startsWith("\\!") || line.startsWith("\\#")) {
                line = line.substring(1);
            }
            boolean foldersOnly = line.endsWith("/");
            if (foldersOnly) {
                line = line.substring(0, line.length() - 1);
            }
            boolean anchored = line.contains("/");
            if (line.startsWith("/")) {
                line = line.substring(1);
            }
            if (line.isEmpty()) {
                continue;
            }
            String regex = (anchored ? "" : "(?:.*/)?") + translate(line);
            rules.add(new Rule(Pattern.compile(regex), negated, foldersOnly));
        }
        return new IgnoreRules(rules);
    }

    /** {@code path}: relative to the pushed folder, with {@code /} between names. */
    public boolean ignores(String path, boolean folder) {
        boolean ignored = false;
        for (Rule rule : rules) {
            if ((!rule.foldersOnly() || folder) && rule.pattern().matcher(path).matches()) {
                ignored = !rule.negated();
            }
        }
        return ignored;
    }

    private static String translate(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 2;
            } else if (glob.startsWith("/**", i) && i + 3 == glob.length()) {
                regex.append("/.*");
                i += 2;
            } else if (glob.startsWith("**", i)) {
                regex.append(".*");
                i += 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[') {
                int end = glob.indexOf(']', i + 1);
                if (end < 0) {
                    regex.append("\\[");
                } else {
                    String set = glob.substring(i + 1, end);
                    regex.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < glob.length()) {
                regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
