package dev.slipway.deploy;

import dev.slipway.testsupport.architecture.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {

    @Test
    void featurePackagesFormNoCycle() {
        PackageCycles.assertNoneUnder("dev.slipway.deploy");
    }
}
