package dev.slipway.upload.apps;

import dev.slipway.events.BuildSettings;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One change of an app's env vars as a user asks for it, checked before anything is stored: names as
 * a shell takes them, one-line values (as for build env), bounded in count and bytes, no name both set
 * and unset, not {@code PORT} (the platform sets it), and only names the app has may be unset.
 * Refusals name the variable, never its value. The same rules hold for the env given when an app is
 * created or updated (PATCH), so no way in takes what another refuses.
 */
public record EnvChange(Map<String, String> set, Set<String> unset) {

    /** Names set and unset in one change, at most. */
    static final int MAX_NAMES = BuildSettings.MAX_ENV;
    /** Bytes (UTF-8) of the values set in one change, all together, at most. */
    static final int MAX_BYTES = BuildSettings.MAX_ENV_BYTES;
    /** Env vars one app holds, at most, whatever the number of changes that set them. */
    public static final int MAX_APP_NAMES = 4 * BuildSettings.MAX_ENV;
    /** Characters of the app's sealed values, all together, at most (its record must stay far under Kafka's 1 MB). */
    public static final int MAX_APP_SEALED_CHARS = 256 * 1024;
    /** Any name create and PATCH took before they shared these rules: such a name may still be unset. */
    private static final Pattern LEGACY_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Given to every instance by the runtime; an app's own would clash with it. */
    static final String PORT = "PORT";

    public EnvChange {
        set = Map.copyOf(set);
        unset = Set.copyOf(unset);
    }

    /** The change asked for, or IllegalArgumentException saying what is wrong with it. */
    public static EnvChange of(Map<String, String> set, List<String> unset) {
        Map<String, String> toSet = set == null ? Map.of() : set;
        List<String> toUnset = unset == null ? List.of() : unset;
        if (toSet.isEmpty() && toUnset.isEmpty()) {
            throw new IllegalArgumentException("nothing to change: give \"set\": {\"NAME\": \"value\"} and/or "
                    + "\"unset\": [\"NAME\"]");
        }
        if (toSet.size() + toUnset.size() > MAX_NAMES) {
            throw new IllegalArgumentException("at most " + MAX_NAMES + " env vars in one change, got "
                    + (toSet.size() + toUnset.size()) + "; split the change");
        }
        long bytes = 0;
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : toSet.entrySet()) {
            String name = name(entry.getKey());
            String value = entry.getValue();
            if (value == null) {
                throw new IllegalArgumentException("env " + name + " has no value; to remove it, unset it");
            }
            if (value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("env " + name + " must be one line without NUL characters; "
                        + "base64-encode a multi-line value and decode it in the app");
            }
            bytes += value.getBytes(StandardCharsets.UTF_8).length;
            checked.put(name, value);
        }
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("the values come to " + bytes + " bytes; at most " + MAX_BYTES
                    + " in one change");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : toUnset) {
            // looser than a name to set: env stored before these rules (PORT, longer names) can still go
            if (name == null || !LEGACY_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("env names are letters, digits and _, not starting with a digit; "
                        + "list the app's with GET .../env (slipway env list)");
            }
            if (checked.containsKey(name)) {
                throw new IllegalArgumentException("env " + name + " is both set and unset; do one of them");
            }
            names.add(name);
        }
        return new EnvChange(checked, names);
    }

    /**
     * The app's sealed env after this change, each new value sealed with {@code seal}; unsetting a
     * name the app does not have is refused, so a typo never passes for a change, and so is an env
     * past the app's bounds ({@link #MAX_APP_NAMES}, {@link #MAX_APP_SEALED_CHARS}).
     */
    public Map<String, String> applyTo(Map<String, String> sealedEnv, UnaryOperator<String> seal) {
        List<String> unknown = unset.stream().filter(name -> !sealedEnv.containsKey(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("the app has no env var " + String.join(", ", unknown)
                    + "; list them with GET .../env (slipway env list)");
        }
        Map<String, String> changed = new HashMap<>(sealedEnv);
        unset.forEach(changed::remove);
        set.forEach((name, value) -> changed.put(name, seal.apply(value)));
        // the bounds refuse growth only: an app stored past them before they held can still shrink
        if (changed.size() > MAX_APP_NAMES && changed.size() > sealedEnv.size()) {
            throw new IllegalArgumentException("the app would have " + changed.size() + " env vars; at most "
                    + MAX_APP_NAMES + ": unset some first (slipway env unset)");
        }
        long chars = sealedChars(changed);
        if (chars > MAX_APP_SEALED_CHARS && chars > sealedChars(sealedEnv)) {
            throw new IllegalArgumentException("the app's env vars would take " + chars / 1024 + " KB stored; at most "
                    + MAX_APP_SEALED_CHARS / 1024 + " KB: unset some or make values shorter");
        }
        return changed;
    }

    private static long sealedChars(Map<String, String> sealedEnv) {
        return sealedEnv.values().stream().mapToLong(String::length).sum();
    }

    private static String name(String name) {
        try {
            BuildSettings.requireEnvName(name);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(invalid.getMessage().replaceFirst("^build env", "env"), invalid);
        }
        if (PORT.equals(name)) {
            throw new IllegalArgumentException("env PORT is set by the platform (the port the app must listen on); "
                    + "read it, do not set it");
        }
        return name;
    }
}
