package dev.slipway.staging.build.language;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.StageFailure;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The source folder after its build, as the image's dependency and app layers. The build ran
 * untrusted code that could leave anything there, so the folder is walked without following a link,
 * and a link is kept only when it resolves, on the real tree, to a regular file inside the folder: a
 * link to an executable becomes a small script that runs the target where it lies (npm's
 * {@code node_modules/.bin} entries then find their modules beside it), a link to any other file
 * becomes a copy of it. Links that leave the folder, links to folders and special files are left out,
 * each said in the log.
 */
final class WorkspaceLayers {

    /** More entries than this is no app: the build is refused rather than the worker's memory spent. */
    static final int MAX_ENTRIES = 300_000;

    private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
    private static final FilePermissions READABLE = FilePermissions.fromOctalString("644");
    private static final AbsoluteUnixPath WORKSPACE = AbsoluteUnixPath.get(BuildPlan.WORKSPACE);

    /** The dependency layer (maybe empty) and the app layer. */
    record Layers(FileEntriesLayer dependencies, FileEntriesLayer app, int entries) {

        List<FileEntriesLayer> nonEmpty() {
            return dependencies.getEntries().isEmpty() ? List.of(app) : List.of(dependencies, app);
        }
    }

    private WorkspaceLayers() {
    }

    /**
     * @param root     the source folder, built
     * @param plan     which paths go to which layer
     * @param wrappers a folder outside {@code root} for the scripts that stand for links
     */
    static Layers of(Path root, BuildPlan plan, Path wrappers, Consumer<String> log) throws IOException,
            StageFailure {
        Path realRoot = root.toRealPath();
        Files.createDirectories(wrappers);
        FileEntriesLayer.Builder dependencies = FileEntriesLayer.builder().setName("dependencies");
        FileEntriesLayer.Builder app = FileEntriesLayer.builder().setName("app");
        List<Entry> entries = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String path = unix(root.relativize(dir));
                if (under(path, plan.excluded())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                add(entries, new Entry(path, dir, true, false));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String path = unix(root.relativize(file));
                if (under(path, plan.excluded())) {
                    return FileVisitResult.CONTINUE;
                }
                if (attributes.isRegularFile()) {
                    add(entries, new Entry(path, file, false, Files.isExecutable(file)));
                } else if (attributes.isSymbolicLink()) {
                    link(root, realRoot, file, path, wrappers, entries, log);
                } else {
                    log.accept("left out " + path + ": neither a file, a folder nor a link");
                }
                return FileVisitResult.CONTINUE;
            }
        });
        entries.sort(Comparator.comparing(Entry::path));
        for (Entry entry : entries) {
            boolean dependency = under(entry.path(), plan.dependencies());
            if (!dependency && !plan.appPaths().isEmpty() && !under(entry.path(), plan.appPaths())) {
                continue;
            }
            (dependency ? dependencies : app).addEntry(entry.content(), WORKSPACE.resolve(entry.path()),
                    entry.directory() || entry.executable() ? EXECUTABLE : READABLE);
        }
        return new Layers(dependencies.build(), app.build(), entries.size());
    }

    private record Entry(String path, Path content, boolean directory, boolean executable) {
    }

    private static void add(List<Entry> entries, Entry entry) throws IOException {
        if (entries.size() >= MAX_ENTRIES) {
            throw new TooManyEntries();
        }
        entries.add(entry);
    }

    /** Thrown from the walk (which cannot throw a StageFailure) and turned into one by {@link #refused}. */
    static final class TooManyEntries extends IOException {
        TooManyEntries() {
            super("more than " + MAX_ENTRIES + " files");
        }
    }

    static StageFailure refused() {
        return new StageFailure(ReasonCodes.BUILD_FAILED, "the build left more than " + MAX_ENTRIES + " files and "
                + "folders in the app; an image of that many is refused: leave build leftovers out of the source "
                + "(.slipwayignore) or clean them up in the build script", false);
    }

    private static void link(Path root, Path realRoot, Path link, String path, Path wrappers, List<Entry> entries,
                             Consumer<String> log) throws IOException {
        Path target;
        try {
            target = link.toRealPath();
        } catch (IOException dangling) {
            log.accept("left out " + path + ": a link to nothing");
            return;
        }
        if (!target.startsWith(realRoot) || !Files.isRegularFile(target)) {
            log.accept("left out " + path + ": a link to " + (target.startsWith(realRoot) ? "a folder"
                    : "something outside the app"));
            return;
        }
        if (Files.isExecutable(target)) {
            Path wrapper = wrappers.resolve("link-" + entries.size());
            Files.writeString(wrapper, "#!/bin/sh\nexec " + BuildPlan.WORKSPACE + "/"
                    + shellQuoted(unix(realRoot.relativize(target))) + " \"$@\"\n");
            add(entries, new Entry(path, wrapper, false, true));
        } else {
            add(entries, new Entry(path, target, false, false));
        }
    }

    private static String shellQuoted(String path) {
        return "'" + path.replace("'", "'\\''") + "'";
    }

    private static boolean under(String path, List<String> folders) {
        return folders.stream().anyMatch(folder -> path.equals(folder) || path.startsWith(folder + "/"));
    }

    private static String unix(Path relative) {
        return relative.toString().replace('\\', '/');
    }
}
