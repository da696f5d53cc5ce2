package dev.slipway.upload.api;

import dev.slipway.events.EventType;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Event type globs as users send them (audit queries, webhook subscriptions): capped in length,
 * then matched in linear time ({@link dev.slipway.events.Glob}), so no glob can hold a core.
 */
@Component
public class TypeGlobs {

    /** {@code slipway.globs.max-length}: longer globs are refused before anything is matched. */
    @ConfigurationProperties("slipway.globs")
    public record Properties(@DefaultValue("200") int maxLength) {
    }

    private final int maxLength;

    public TypeGlobs(Properties properties) {
        this.maxLength = properties.maxLength();
    }

    /** The types the glob names; throws IllegalArgumentException, with a message for the caller, when too long or none. */
    public Set<EventType> matching(String glob) {
        if (glob != null && glob.length() > maxLength) {
            throw new IllegalArgumentException("a type glob may have at most " + maxLength + " characters, this one has "
                    + glob.length());
        }
        return EventType.matching(glob);
    }
}
