package dev.slipway.upload;

import dev.slipway.testsupport.architecture.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {

    @Test
    void featurePackagesFormNoCycle() {
        PackageCycles.assertNoneUnder("dev.slipway.upload");
    }
}
