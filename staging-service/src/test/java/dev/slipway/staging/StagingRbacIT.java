package dev.slipway.staging;

import dev.slipway.testsupport.kubernetes.RbacCheck;
import org.junit.jupiter.api.Test;

/**
 * Runs after this module's tests (failsafe): the platform chart grants staging's ServiceAccount exactly
 * what staging's code asked of the API server in those tests, no less and no more.
 */
class StagingRbacIT {

    @Test
    void thePlatformChartGrantsStagingExactlyWhatItsCodeAsksOfTheApi() {
        RbacCheck.assertModuleFits("staging", "staging-service");
    }
}
