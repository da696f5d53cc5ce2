package dev.slipway.install;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The documents of a multi-document YAML text (a chart's render, a folder of manifests), empty ones left out. */
public final class YamlDocuments {

    private YamlDocuments() {
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> read(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(text)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }
}
