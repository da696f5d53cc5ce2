package dev.slipway.staging.registry;

import java.util.Optional;

/** The registry staging pushes to, as the pipeline needs it: is this image already there? */
public interface ImageRegistry {

    /** The digest of {@code image} ({@code host/repository:tag}) when the registry has it. */
    Optional<String> digestOf(String image);
}
