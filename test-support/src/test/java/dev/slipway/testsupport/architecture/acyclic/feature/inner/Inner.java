package dev.slipway.testsupport.architecture.acyclic.feature.inner;

import dev.slipway.testsupport.architecture.acyclic.feature.Feature;

/** Points back at its parent package: both belong to the same feature, so this is no cycle between features. */
public class Inner {
    Feature feature;
}
