package dev.slipway.testsupport.architecture;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {

    private static final String CYCLIC = "dev.slipway.testsupport.architecture.cyclic";
    private static final String ACYCLIC = "dev.slipway.testsupport.architecture.acyclic";

    @Test
    void findsACycleThroughTheRootPackage() {
        assertThatThrownBy(() -> PackageCycles.assertNoneIn(new ClassFileImporter().importPackages(CYCLIC), CYCLIC))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining(PackageCycles.FeaturePackages.ROOT_SLICE)
                .hasMessageContaining("feature");
    }

    @Test
    void acceptsFeaturesThatDependOneWayAndSubPackagesThatUseTheirParent() {
        assertThatCode(() -> PackageCycles.assertNoneIn(new ClassFileImporter().importPackages(ACYCLIC), ACYCLIC))
                .doesNotThrowAnyException();
    }

    @Test
    void aRootWithNoProductionClassesFailsInsteadOfPassingEmpty() {
        // the fixtures are test classes, which the production check leaves out: a misspelt or test-only root
        // must not look like a module without cycles
        assertThatThrownBy(() -> PackageCycles.assertNoneUnder(ACYCLIC))
                .isInstanceOf(AssertionError.class);
    }
}
