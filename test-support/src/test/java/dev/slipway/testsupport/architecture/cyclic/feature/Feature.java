package dev.slipway.testsupport.architecture.cyclic.feature;

import dev.slipway.testsupport.architecture.cyclic.Root;

public class Feature {
    Root root;
}
