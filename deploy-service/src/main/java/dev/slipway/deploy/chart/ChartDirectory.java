package dev.slipway.deploy.chart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The application chart as a folder Helm can read: unpacked from the service's own classpath. */
public final class ChartDirectory {

    static final List<String> FILES = List.of("Chart.yaml", "values.yaml", "templates/_helpers.tpl",
            "templates/deployment.yaml", "templates/secret.yaml", "templates/service.yaml");

    private ChartDirectory() {
    }

    public static Path unpack(Path target) {
        try {
            for (String file : FILES) {
                Path destination = target.resolve(file);
                Files.createDirectories(destination.getParent());
                try (InputStream in = ChartDirectory.class.getResourceAsStream("/charts/application/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the application chart lacks " + file);
                    }
                    Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the application chart", e);
        }
    }
}
