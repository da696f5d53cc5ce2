package dev.slipway.install.settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The settings docs/operations.md documents for each service (its "Settings shared by every service"
 * table plus the service's own section), and whether the service's code really binds them. Give it the
 * environment an install sets on a service (docker-compose.yml, a chart's rendered Deployment) and it
 * names every Spring or Slipway variable that is not documented for that service, or documented under a
 * name the code does not read: a misspelled variable is otherwise silently ignored by Spring.
 */
public final class DocumentedSettings {

    /** The doc section whose table every service reads. */
    static final String SHARED = "Settings shared by every service";
    /** Modules whose main code every service runs besides its own (shared settings classes live there). */
    private static final List<String> SHARED_MODULES = List.of("events-schema");
    private static final Set<String> SETTING_PREFIXES = Set.of("SLIPWAY_", "SPRING_", "SERVER_", "MANAGEMENT_",
            "LOGGING_");
    private static final Pattern CELL_NAME = Pattern.compile("\\(\\s*`([^`]+)`\\s*\\)|`([^`]+)`");
    private static final Pattern PROPERTIES_CLASS = Pattern.compile(
            "@ConfigurationProperties\\(\\s*(?:(?:prefix|value)\\s*=\\s*)?(\"[^\"]+\"|[\\w.]+)\\s*\\)");

    private final Map<String, List<Setting>> bySection;
    private final Path root;

    private DocumentedSettings(Map<String, List<Setting>> bySection, Path root) {
        this.bySection = bySection;
        this.root = root;
    }

    /** The settings of {@code <root>/docs/operations.md}, checked against the code under {@code root}. */
    public static DocumentedSettings of(Path root) {
        try {
            return parse(Files.readString(root.resolve("docs/operations.md")), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The settings documented in {@code markdown}, checked against the code under {@code root}. */
    public static DocumentedSettings parse(String markdown, Path root) {
        Map<String, List<Setting>> sections = new LinkedHashMap<>();
        String section = "";
        boolean inSettingsTable = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("## ")) {
                section = line.substring(3).trim();
                inSettingsTable = false;
            } else if (line.startsWith("|")) {
                String[] cells = line.split("\\|");
                String first = cells.length > 1 ? cells[1].trim() : "";
                if (first.equals("setting")) {
                    inSettingsTable = true;
                } else if (inSettingsTable && !first.startsWith("---")) {
                    sections.computeIfAbsent(section, any -> new ArrayList<>()).addAll(settingsOfCell(first));
                }
            } else {
                inSettingsTable = false;
            }
        }
        return new DocumentedSettings(sections, root);
    }

    /** The settings documented for {@code service}: the shared ones and those of its own section. */
    public List<Setting> forService(String service) {
        List<Setting> settings = new ArrayList<>(bySection.getOrDefault(SHARED, List.of()));
        settings.addAll(bySection.getOrDefault(service, List.of()));
        return settings;
    }

    /** The documented setting an environment variable sets on {@code service}, by Spring's relaxed binding. */
    public Optional<Setting> documenting(String service, String variable) {
        return forService(service).stream().filter(setting -> setting.boundFrom(variable)).findFirst();
    }

    /**
     * What is wrong with the environment an install gives {@code service}: each Spring or Slipway variable
     * that no documented setting of the service takes, or whose documented setting the code does not bind.
     * Other variables (JAVA_TOOL_OPTIONS, HOME...) are not settings and are left alone.
     */
    public List<String> problems(String service, Set<String> variables) {
        List<String> problems = new ArrayList<>();
        for (String variable : variables) {
            if (SETTING_PREFIXES.stream().noneMatch(variable::startsWith)) {
                continue;
            }
            Optional<Setting> setting = documenting(service, variable);
            if (setting.isEmpty()) {
                problems.add(service + ": " + variable + " is not a setting docs/operations.md documents for "
                        + service + " (shared settings or its own section)");
            } else if (!boundInCode(service, setting.get(), variable)) {
                problems.add(service + ": " + variable + " sets " + setting.get().name() + ", which the code of "
                        + service + " does not bind (no @ConfigurationProperties component, @Value or "
                        + service + ".yml key of that name)");
            }
        }
        return problems;
    }

    /**
     * Whether {@code service}'s code (its module and the shared modules) reads the setting as
     * {@code variable} gives it: an alias is read where a {@code ${ALIAS} } placeholder names it; a
     * property name where its {@code @ConfigurationProperties} record has every part of it as a component
     * (map keys free), where a string literal or {@code @Value} names it whole, or as a key of the
     * service's yml.
     */
    public boolean boundInCode(String service, Setting setting, String variable) {
        List<Path> modules = new ArrayList<>();
        modules.add(root.resolve(service));
        SHARED_MODULES.forEach(module -> modules.add(root.resolve(module)));
        if (setting.aliases().contains(variable) && sources(modules, ".java", ".yml", ".yaml", ".properties")
                .anyMatch(text -> text.contains("${" + variable))) {
            return true;
        }
        if (!setting.nameBoundFrom(variable)) {
            return false;
        }
        String name = setting.name();
        if (!name.contains("[") && !name.contains("<")
                && sources(modules, ".java").anyMatch(text -> text.contains("\"" + name + "\"")
                        || text.contains("${" + name + ":") || text.contains("${" + name + "}"))) {
            return true;
        }
        if (ymlKeys(modules).stream().anyMatch(key -> setting.matchesName(key))) {
            return true;
        }
        return sourcesByFile(modules).entrySet().stream()
                .anyMatch(file -> bindsThroughProperties(withoutComments(file.getValue()), name));
    }

    private static boolean bindsThroughProperties(String code, String name) {
        Matcher annotation = PROPERTIES_CLASS.matcher(code);
        while (annotation.find()) {
            String prefix = prefixOf(annotation.group(1), code);
            if (prefix != null && name.startsWith(prefix + ".")
                    && componentsPresent(code, name.substring(prefix.length() + 1))) {
                return true;
            }
        }
        return false;
    }

    /** A prefix written as a literal or as a constant of the same file ({@code UnpackLimits.PREFIX}). */
    private static String prefixOf(String argument, String code) {
        if (argument.startsWith("\"")) {
            return argument.substring(1, argument.length() - 1);
        }
        String constant = argument.substring(argument.lastIndexOf('.') + 1);
        Matcher value = Pattern.compile("\\b" + constant + "\\s*=\\s*\"([^\"]+)\"").matcher(code);
        return value.find() ? value.group(1) : null;
    }

    /** Every part of the rest of the name is a component (an identifier in the code), until a map takes keys. */
    private static boolean componentsPresent(String code, String rest) {
        for (String part : rest.split("\\.")) {
            String component = camelCase(part.replaceAll("\\[[^]]*]$", ""));
            if (component.startsWith("<")) {
                return false;
            }
            if (!Pattern.compile("\\b" + Pattern.quote(component) + "\\b").matcher(code).find()) {
                return false;
            }
            if (Pattern.compile("Map<[^;()]*>\\s+" + Pattern.quote(component) + "\\b").matcher(code).find()) {
                return true;
            }
        }
        return true;
    }

    private static String camelCase(String kebab) {
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }

    private static String withoutComments(String code) {
        return code.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
    }

    private List<String> ymlKeys(List<Path> modules) {
        List<String> keys = new ArrayList<>();
        for (Path module : modules) {
            for (Path file : files(module.resolve("src/main/resources"), ".yml", ".yaml")) {
                try {
                    for (Object document : new Yaml().loadAll(Files.readString(file))) {
                        flatten("", document, keys);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return keys;
    }

    private static void flatten(String prefix, Object node, List<String> keys) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value,
                    keys));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "[" + i + "]", list.get(i), keys);
            }
        } else if (!prefix.isEmpty()) {
            keys.add(prefix);
        }
    }

    private Stream<String> sources(List<Path> modules, String... endings) {
        return modules.stream().flatMap(module -> files(module.resolve("src/main"), endings).stream()).map(this::read);
    }

    private Map<Path, String> sourcesByFile(List<Path> modules) {
        Map<Path, String> byFile = new LinkedHashMap<>();
        modules.forEach(module -> files(module.resolve("src/main/java"), ".java").forEach(file -> byFile.put(file,
                read(file))));
        return byFile;
    }

    private static List<Path> files(Path folder, String... endings) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> Stream.of(endings).anyMatch(file.getFileName().toString()::endsWith)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The settings in a table's first cell: {@code `slipway.s3.endpoint` (`SLIPWAY_S3_ENDPOINT`), `access-key`}
     * names {@code slipway.s3.endpoint} (alias {@code SLIPWAY_S3_ENDPOINT}) and {@code slipway.s3.access-key}:
     * a name after the first that starts neither with a known root nor whole is relative to the first one's parent.
     */
    static List<Setting> settingsOfCell(String cell) {
        List<Setting> settings = new ArrayList<>();
        String parent = null;
        Matcher names = CELL_NAME.matcher(cell);
        while (names.find()) {
            if (names.group(1) != null) {
                if (!settings.isEmpty()) {
                    Setting last = settings.remove(settings.size() - 1);
                    List<String> aliases = new ArrayList<>(last.aliases());
                    aliases.add(names.group(1));
                    settings.add(new Setting(last.name(), List.copyOf(aliases)));
                }
                continue;
            }
            String name = names.group(2);
            if (parent == null || isAbsolute(name)) {
                if (!isAbsolute(name)) {
                    continue;
                }
                parent = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : "";
                settings.add(new Setting(name, List.of()));
            } else {
                settings.add(new Setting(parent + "." + (name.startsWith(".") ? name.substring(1) : name), List.of()));
            }
        }
        return settings;
    }

    private static boolean isAbsolute(String name) {
        return Stream.of("slipway.", "spring.", "server.", "management.", "logging.").anyMatch(name::startsWith);
    }

    /**
     * A documented setting: its property name ({@code [n]} for a list index, {@code <key>} for a map key)
     * and the environment variables documented as its aliases.
     */
    public record Setting(String name, List<String> aliases) {

        /**
         * Whether Spring binds {@code variable} to this setting: an alias, or the name in the environment's
         * form (upper case, {@code _} for {@code .}, dashes dropped or, as Spring also reads, {@code _}).
         */
        public boolean boundFrom(String variable) {
            return aliases.contains(variable) || nameBoundFrom(variable);
        }

        /** Whether {@code variable} is the name itself in the environment's form (not an alias). */
        public boolean nameBoundFrom(String variable) {
            return environmentForm().matcher(variable).matches();
        }

        /** Whether a concrete property name ({@code slipway.auth.users[0].username}) is this setting. */
        public boolean matchesName(String property) {
            return Pattern.compile(quoteTemplate(name, "\\[[0-9]+\\]", "[^.]+")).matcher(property).matches();
        }

        private Pattern environmentForm() {
            String upper = name.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
            StringBuilder regex = new StringBuilder();
            Matcher parts = Pattern.compile("\\[N]|<[^>]+>|-|[^\\[<-]+").matcher(upper);
            while (parts.find()) {
                String part = parts.group();
                regex.append(switch (part.charAt(0)) {
                    case '[' -> "_[0-9]+";
                    case '<' -> "[A-Z0-9_]+";
                    case '-' -> "_?";
                    default -> Pattern.quote(part);
                });
            }
            return Pattern.compile(regex.toString());
        }

        private static String quoteTemplate(String template, String index, String key) {
            StringBuilder regex = new StringBuilder();
            Matcher parts = Pattern.compile("\\[n]|<[^>]+>|[^\\[<]+").matcher(template);
            while (parts.find()) {
                String part = parts.group();
                regex.append(part.equals("[n]") ? index : part.startsWith("<") ? key : Pattern.quote(part));
            }
            return regex.toString();
        }
    }
}
