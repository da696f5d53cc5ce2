package dev.slipway.staging.build.language;

import dev.slipway.staging.build.AppKind;
import java.util.List;
import java.util.Map;

/**
 * A Go module, built without cgo into one static binary: the image holds that binary alone on the
 * busybox base. It starts with the binary, or with the Procfile's {@code web:} process.
 */
final class GoProject {

    static final String BINARY = BuildPlan.OUTPUT + "/app";

    private GoProject() {
    }

    static BuildPlan plan(List<String> procfileCommand) {
        return new BuildPlan(AppKind.GO,
                List.of("go build -trimpath -ldflags=-s -o " + BuildPlan.WORKSPACE + "/" + BINARY + " ."),
                Map.of("CGO_ENABLED", "0", "GOCACHE", BuildPlan.CACHE + "/go/build",
                        "GOMODCACHE", BuildPlan.CACHE + "/go/mod", "GOPATH", BuildPlan.CACHE + "/go/path",
                        // no git in the build container, and never a toolchain download
                        "GOFLAGS", "-buildvcs=false", "GOTOOLCHAIN", "local", "HOME", "/tmp", "PATH", "/usr/bin:/bin"),
                procfileCommand.isEmpty() ? List.of(BuildPlan.WORKSPACE + "/" + BINARY) : procfileCommand,
                Map.of("PATH", "/bin"), List.of(), List.of(BINARY), List.of(), null,
                "go build (CGO_ENABLED=0); starts with " + (procfileCommand.isEmpty() ? "the binary"
                        : "the Procfile web process"));
    }
}
