package dev.slipway.routing;

import dev.slipway.testsupport.kubernetes.RbacCheck;
import org.junit.jupiter.api.Test;

/**
 * Runs after this module's tests (failsafe): the platform chart grants routing's ServiceAccount exactly
 * what routing's code asked of the API server in those tests, no less and no more.
 */
class RoutingRbacIT {

    @Test
    void thePlatformChartGrantsRoutingExactlyWhatItsCodeAsksOfTheApi() {
        RbacCheck.assertModuleFits("routing", "routing-service");
    }
}
