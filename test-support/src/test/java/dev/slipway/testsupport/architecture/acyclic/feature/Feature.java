package dev.slipway.testsupport.architecture.acyclic.feature;

import dev.slipway.testsupport.architecture.acyclic.feature.inner.Inner;
import dev.slipway.testsupport.architecture.acyclic.other.Other;

public class Feature {
    Inner inner;
    Other other;
}
