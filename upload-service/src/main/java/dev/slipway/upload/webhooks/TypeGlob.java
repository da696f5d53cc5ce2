package dev.slipway.upload.webhooks;

import dev.slipway.events.EventType;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A pattern of event types where {@code *} stands for any text, e.g. {@code dev.slipway.stage.*}. */
record TypeGlob(String glob, Pattern pattern) {

    static TypeGlob of(String glob) {
        String regex = Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
        return new TypeGlob(glob, Pattern.compile(regex));
    }

    boolean matches(String type) {
        return pattern.matcher(type).matches();
    }

    /** The published types this glob selects; a glob that selects none is surely a typo. */
    List<String> knownMatches() {
        return Arrays.stream(EventType.values()).map(EventType::type).filter(this::matches).toList();
    }
}
