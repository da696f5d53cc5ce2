package dev.slipway.testsupport.architecture.cyclic;

import dev.slipway.testsupport.architecture.cyclic.feature.Feature;

/** Root package class that uses a feature package which uses it back. */
public class Root {
    Feature feature;
}
