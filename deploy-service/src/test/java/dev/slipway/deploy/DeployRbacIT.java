package dev.slipway.deploy;

import dev.slipway.testsupport.kubernetes.RbacCheck;
import org.junit.jupiter.api.Test;

/**
 * Runs after this module's tests (failsafe): the platform chart grants deploy's ServiceAccount exactly
 * what deploy's code asked of the API server in those tests, no less and no more.
 */
class DeployRbacIT {

    @Test
    void thePlatformChartGrantsDeployExactlyWhatItsCodeAsksOfTheApi() {
        RbacCheck.assertModuleFits("deploy", "deploy-service");
    }
}
