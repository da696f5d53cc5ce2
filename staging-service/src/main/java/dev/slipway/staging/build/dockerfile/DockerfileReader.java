package dev.slipway.staging.build.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile cut into instructions the way buildah 1.28 (openshift/imagebuilder's parser) cuts it:
 * a byte-order mark dropped, {@code # escape=} directives read only at the very top, comment lines
 * dropped, lines ending in the escape character joined to the next (comment and blank lines inside a
 * continuation skipped), the instruction's name case-insensitive, and its leading {@code --flags} apart
 * from its arguments. Pure: it reads text, runs nothing.
 */
final class DockerfileReader {

    /** One instruction: the line it starts on, its name in lower case, its flags and the rest. */
    record Instruction(int line, String keyword, List<String> flags, String args) {

        /** The sub-instruction of an {@code ONBUILD}, read as the builder reads it when the trigger fires. */
        Optional<Instruction> trigger() {
            return keyword.equals("onbuild") ? Optional.of(instruction(line, args)) : Optional.empty();
        }
    }

    /** The directive as imagebuilder matches it, on the line in lower case. */
    private static final Pattern ESCAPE_DIRECTIVE = Pattern.compile("^#[ \\t]*escape[ \\t]*=[ \\t]*(.).*$");
    /** What separates the instruction's name from the rest (Go's {@code [\t\v\f\r ]+}). */
    private static final Pattern NAME_END = Pattern.compile("[\\t\\x0B\\f\\r ]+");

    private DockerfileReader() {
    }

    /** The instructions with the escape character the file's own directive sets (default {@code \}). */
    static List<Instruction> read(String text) {
        return read(text, Optional.empty());
    }

    /**
     * The instructions, with {@code forcedEscape} in place of what the file's directive says when given:
     * reading a file both ways leaves no room between what this reader sees and what any builder sees.
     */
    static List<Instruction> read(String text, Optional<Character> forcedEscape) {
        String[] lines = text.split("\n", -1);
        Directives directives = new Directives(forcedEscape);
        List<Instruction> instructions = new ArrayList<>();
        int at = 0;
        while (at < lines.length) {
            String raw = physical(lines[at], at == 0);
            at++;
            int start = at;
            String first = trimLeft(raw);
            directives.offer(first);
            String joined = withoutComment(first);
            boolean more = continues(joined, directives.escape);
            joined = more ? dropContinuation(joined, directives.escape) : joined;
            if (!more && joined.isEmpty()) {
                continue;
            }
            while (more && at < lines.length) {
                String next = physical(lines[at], false);
                at++;
                directives.offer(next);
                String kept = withoutComment(next);
                if (withoutComment(trimLeft(kept)).isEmpty()) {
                    continue; // an empty or comment line inside a continuation
                }
                more = continues(kept, directives.escape);
                joined += more ? dropContinuation(kept, directives.escape) : kept;
            }
            instructions.add(instruction(start, joined));
        }
        return instructions;
    }

    /** The escape character the file's directive sets, for reading it as the builder will. */
    static char escapeOf(String text) {
        Directives directives = new Directives(Optional.empty());
        for (String line : text.split("\n", -1)) {
            if (directives.done) {
                break;
            }
            directives.offer(trimLeft(physical(line, false)));
        }
        return directives.escape;
    }

    static Instruction instruction(int line, String text) {
        String trimmed = text.strip();
        String[] nameAndRest = NAME_END.split(trimmed, 2);
        String keyword = nameAndRest[0].toLowerCase(Locale.ROOT);
        if (nameAndRest.length < 2) {
            return new Instruction(line, keyword, List.of(), "");
        }
        List<String> flags = new ArrayList<>();
        String rest = flags(nameAndRest[1], flags);
        return new Instruction(line, keyword, List.copyOf(flags), rest.strip());
    }

    /**
     * Takes the leading words that start with {@code --} (quotes may hold spaces) into {@code flags};
     * answers the rest of the line. A lone {@code --} ends the flags, as in imagebuilder.
     */
    private static String flags(String line, List<String> flags) {
        int at = 0;
        while (at < line.length()) {
            while (at < line.length() && isSpace(line.charAt(at))) {
                at++;
            }
            if (at + 1 >= line.length() || line.charAt(at) != '-' || line.charAt(at + 1) != '-') {
                return line.substring(Math.min(at, line.length()));
            }
            StringBuilder word = new StringBuilder();
            char quote = 0;
            while (at < line.length() && (quote != 0 || !isSpace(line.charAt(at)))) {
                char c = line.charAt(at);
                if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
                at++;
            }
            if (word.toString().equals("--")) {
                return line.substring(at);
            }
            flags.add(word.toString());
        }
        return "";
    }

    /** A physical line as Go's line scanner hands it: no {@code \r} before the newline, no BOM at the top. */
    private static String physical(String line, boolean first) {
        String kept = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        return first && kept.startsWith("\uFEFF") ? kept.substring(1) : kept;
    }

    /** A line starting with {@code #} is a comment; imagebuilder looks at its very first character. */
    private static String withoutComment(String line) {
        return line.startsWith("#") ? "" : line;
    }

    private static boolean continues(String line, char escape) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return end > 0 && line.charAt(end - 1) == escape;
    }

    private static String dropContinuation(String line, char escape) {
        return line.substring(0, line.lastIndexOf(escape));
    }

    private static String trimLeft(String line) {
        int at = 0;
        while (at < line.length() && isSpace(line.charAt(at))) {
            at++;
        }
        return line.substring(at);
    }

    /** Go's {@code unicode.IsSpace}, near enough: ASCII blanks, NEL, NBSP and Unicode's space separators. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == 0x85 || c == 0xA0
                || Character.isSpaceChar(c);
    }

    /** The parser directives at the top: only {@code escape} counts; any other line ends them. */
    private static final class Directives {
        private final boolean forced;
        private char escape;
        private boolean done;

        Directives(Optional<Character> forcedEscape) {
            this.forced = forcedEscape.isPresent();
            this.escape = forcedEscape.orElse('\\');
        }

        void offer(String line) {
            if (done) {
                return;
            }
            Matcher directive = ESCAPE_DIRECTIVE.matcher(line.toLowerCase(Locale.ROOT));
            if (directive.matches()) {
                char asked = directive.group(1).charAt(0);
                if (!forced && (asked == '`' || asked == '\\')) {
                    escape = asked;
                }
                return;
            }
            done = true;
        }
    }
}
