package dev.slipway.staging.build.language;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.AppKind;
import dev.slipway.staging.build.StageFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Python project: its requirements (or, with only a pyproject.toml, the project itself) installed by
 * pip into a folder of the source, which is on {@code PYTHONPATH} when the app runs. It starts with its
 * Procfile's {@code web:} process, else {@code python3 app.py} or {@code main.py}. A requirements.txt
 * with nothing but comments needs no build at all.
 */
final class PythonProject {

    static final int MAX_REQUIREMENTS = 1024 * 1024;
    static final String PACKAGES = BuildPlan.OUTPUT + "/python";

    private PythonProject() {
    }

    static BuildPlan plan(Path root, List<String> procfileCommand) throws IOException, StageFailure {
        String pip = "python3 -m pip install --no-input --disable-pip-version-check --cache-dir " + BuildPlan.CACHE
                + "/pip --target " + BuildPlan.WORKSPACE + "/" + PACKAGES;
        List<String> script;
        String what;
        if (ProjectFiles.has(root, "requirements.txt")) {
            boolean any = ProjectFiles.read(root.resolve("requirements.txt"), MAX_REQUIREMENTS).lines()
                    .map(String::strip).anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
            script = any ? List.of(pip + " -r requirements.txt") : List.of();
            what = any ? "pip install -r requirements.txt" : "no requirements";
        } else {
            script = List.of(pip + " .");
            what = "pip install . (pyproject.toml)";
        }
        List<String> command;
        String how;
        if (!procfileCommand.isEmpty()) {
            command = procfileCommand;
            how = "Procfile web process";
        } else {
            String program = List.of("app.py", "main.py").stream().filter(file -> ProjectFiles.has(root, file))
                    .findFirst().orElseThrow(() -> new StageFailure(ReasonCodes.BUILDER_NOT_DETECTED, "cannot tell "
                            + "how to start this Python app: looked for a Procfile with a 'web:' process, app.py and "
                            + "main.py; add a Procfile (for example 'web: python3 -m myapp') or an app.py", false));
            command = List.of("python3", BuildPlan.WORKSPACE + "/" + program);
            how = "python3 " + program;
        }
        return new BuildPlan(AppKind.PYTHON, script,
                // Debian's pip refuses to touch the system's Python (PEP 668); it only fills a folder of the app here
                Map.of("PIP_BREAK_SYSTEM_PACKAGES", "1", "PYTHONDONTWRITEBYTECODE", "1", "HOME", "/tmp",
                        "PATH", "/usr/bin:/bin"),
                command,
                Map.of("PYTHONPATH", BuildPlan.WORKSPACE + "/" + PACKAGES, "PYTHONUNBUFFERED", "1",
                        "PATH", "/usr/bin:/bin"),
                List.of(PACKAGES), List.of(), List.of(), null, what + "; starts with " + how);
    }
}
