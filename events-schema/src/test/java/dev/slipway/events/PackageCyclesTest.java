package dev.slipway.events;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The contract's root package and its sub-packages (kafka, secrets, spring) form no cycle. test-support holds
 * the shared version of this check but depends on this module, so the few lines live here.
 */
class PackageCyclesTest {

    private static final String ROOT = "dev.slipway.events";

    @Test
    void rootAndSubPackagesFormNoCycle() {
        slices().assignedFrom(new RootAndSubPackages())
                .should().beFreeOfCycles()
                .allowEmptyShould(false)
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages(ROOT));
    }

    /** The root package is a slice of its own, then one slice per direct sub-package with all below it. */
    private static final class RootAndSubPackages implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (pkg.equals(ROOT)) {
                return SliceIdentifier.of("(root package)");
            }
            return pkg.startsWith(ROOT + ".")
                    ? SliceIdentifier.of(pkg.substring(ROOT.length() + 1).split("\\.")[0])
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "root and sub-packages of " + ROOT;
        }
    }
}
