package dev.slipway.testsupport.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * Keeps a module's feature packages free of cycles. Each direct sub-package of the module's root is one
 * slice (with everything below it), and the root package is a slice of its own: a pattern such as
 * {@code "dev.slipway.routing.(*).."} would leave the root out and miss cycles through it, which is where
 * they tend to hide (a root class using a feature package that uses the root back).
 */
public final class PackageCycles {

    private PackageCycles() {
    }

    /** Fails, naming every cycle and the dependencies that make it, if the module's production code has one. */
    public static void assertNoneUnder(String rootPackage) {
        assertNoneIn(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage), rootPackage);
    }

    static void assertNoneIn(JavaClasses classes, String rootPackage) {
        slices().assignedFrom(new FeaturePackages(rootPackage))
                .should().beFreeOfCycles()
                // an empty import means a wrong root name, not a clean module
                .allowEmptyShould(false)
                .check(classes);
    }

    /** Slices below {@code rootPackage}: the root itself, then one per direct sub-package. */
    static final class FeaturePackages implements SliceAssignment {

        static final String ROOT_SLICE = "(root package)";

        private final String root;

        FeaturePackages(String root) {
            this.root = root;
        }

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (pkg.equals(root)) {
                return SliceIdentifier.of(ROOT_SLICE);
            }
            if (!pkg.startsWith(root + ".")) {
                return SliceIdentifier.ignore();
            }
            String below = pkg.substring(root.length() + 1);
            int dot = below.indexOf('.');
            return SliceIdentifier.of(dot < 0 ? below : below.substring(0, dot));
        }

        @Override
        public String getDescription() {
            return "feature packages of " + root;
        }
    }
}
