package dev.slipway.testsupport.architecture.acyclic;

import dev.slipway.testsupport.architecture.acyclic.feature.Feature;

/** Root uses a feature, the feature uses another feature; nothing points back. */
public class Root {
    Feature feature;
}
