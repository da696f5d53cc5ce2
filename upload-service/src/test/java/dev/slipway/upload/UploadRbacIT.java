package dev.slipway.upload;

import dev.slipway.testsupport.kubernetes.RbacCheck;
import org.junit.jupiter.api.Test;

/**
 * Runs after this module's tests (failsafe): the platform chart grants upload's ServiceAccount exactly
 * what upload's code asked of the API server in those tests (its apps' pods and logs), no less and no more.
 */
class UploadRbacIT {

    @Test
    void thePlatformChartGrantsUploadExactlyWhatItsCodeAsksOfTheApi() {
        RbacCheck.assertModuleFits("upload", "upload-service");
    }
}
