package dev.slipway.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The application chart rendered by real Helm (helm-java) for a table of values, against golden YAML
 * in {@code src/test/resources/golden}.
 */
class ApplicationChartTest {

    @TempDir
    static Path work;
    static Path chart;

    @BeforeAll
    static void unpackChart() {
        chart = ChartDirectory.unpack(work.resolve("application"));
    }

    static Stream<Arguments> releases() {
        return Stream.of(
                Arguments.of("one-instance", new ReleaseValues("hello", "127.0.0.1:5000/workspace-hello:s1", "s1",
                        "b1", 1, Map.of())),
                Arguments.of("three-instances-with-env", new ReleaseValues("shop", "registry.example.com/workspace-shop:s2",
                        "s2", "b2", 3, Map.of("GREETING", "hello, world", "MODE", "prod=1"))),
                Arguments.of("scaled-to-zero", new ReleaseValues("idle", "nginx:1.27", "", "", 0, Map.of())),
                Arguments.of("restarted", new ReleaseValues("hello", "127.0.0.1:5000/workspace-hello:s1", "s1",
                        "b1", 1, Map.of(), "r1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void rendersTheDeploymentAndServiceOfARelease(String name, ReleaseValues values) throws IOException {
        String rendered = new Helm(chart).template().withName(values.appName()).withNamespace("workspace")
                .withValuesFile(write(name, values)).call();

        if (Boolean.getBoolean("golden.update")) {
            // after a deliberate chart change: -Dgolden.update=true rewrites the files, then review the diff
            java.nio.file.Files.writeString(Path.of("src/test/resources/golden", name + ".yaml"), rendered);
        }
        assertThat(rendered).isEqualTo(golden(name));
    }

    @Test
    void envValuesWithCommasAndEqualsSurviveUnchanged() throws IOException {
        String rendered = new Helm(chart).template().withName("tricky").withNamespace("workspace")
                .withValuesFile(write("tricky", new ReleaseValues("tricky", "img:1", "s", "b", 1,
                        Map.of("LIST", "a,b=c,{d}")))).call();

        assertThat(rendered).contains("\n  \"LIST\": \"a,b=c,{d}\"\n");
    }

    @Test
    void envValuesStandInTheAppsSecretNotInThePodTemplateAndANewVersionOfThemReplacesThePods() throws IOException {
        ReleaseValues running = new ReleaseValues("shop", "img:1", "s1", "b1", 2, Map.of("DB_PASSWORD", "hunter2"),
                null, "workspace/shop@3");
        ReleaseValues changed = new ReleaseValues("shop", "img:1", "s1", "b2", 2, Map.of("DB_PASSWORD", "rotated"),
                null, "workspace/shop@4");

        String before = render("env-before", running);
        String after = render("env-after", changed);

        String deployment = before.substring(before.indexOf("kind: Deployment"));
        assertThat(deployment).doesNotContain("hunter2")
                .contains("envFrom:\n            - secretRef:\n                name: \"shop-env\"");
        assertThat(before).contains("kind: Secret\nmetadata:\n  name: shop-env", "\"DB_PASSWORD\": \"hunter2\"");
        // the Secret alone would change under running pods unseen: the version in the template replaces them
        assertThat(template(before)).contains("slipway.dev/configuration: \"workspace/shop@3\"");
        assertThat(template(after)).isNotEqualTo(template(before)).contains("workspace/shop@4");
    }

    @Test
    void anAppWithoutEnvHasNoSecret() throws IOException {
        assertThat(render("no-env", new ReleaseValues("bare", "img:1", "s1", "b1", 1, Map.of())))
                .doesNotContain("kind: Secret", "envFrom");
    }

    @Test
    void aRestartChangesOnlyThePodTemplateSoKubernetesReplacesEveryPod() throws IOException {
        ReleaseValues running = new ReleaseValues("hello", "img:1", "s1", "b1", 2, Map.of("MODE", "prod"));
        ReleaseValues restarted = new ReleaseValues("hello", "img:1", "s1", "b1", 2, Map.of("MODE", "prod"), "r1");
        ReleaseValues restartedAgain = new ReleaseValues("hello", "img:1", "s1", "b1", 2, Map.of("MODE", "prod"),
                "r2");

        String before = render("before", running);
        String first = render("first", restarted);
        String second = render("second", restartedAgain);

        assertThat(template(before)).doesNotContain("restarted-by");
        assertThat(template(first)).contains("slipway.dev/restarted-by: \"r1\"");
        assertThat(template(second)).contains("slipway.dev/restarted-by: \"r2\"");
        // only the pod template differs: the Deployment's own labels, replicas and the Service stay as they were
        assertThat(first.replace("      annotations:\n        # a restart changes the pod template, so Kubernetes "
                + "replaces every pod (rolling, as for a new image)\n        slipway.dev/restarted-by: \"r1\"\n", ""))
                .isEqualTo(before);
    }

    @Test
    void aScaleLeavesThePodTemplateAsItWasSoNoRunningPodIsReplaced() throws IOException {
        ReleaseValues running = new ReleaseValues("hello", "img:1", "s1", "b1", 2, Map.of("MODE", "prod"));
        ReleaseValues scaled = new ReleaseValues("hello", "img:1", "s1", "b2", 5, Map.of("MODE", "prod"));

        String before = render("running", running);

        // Kubernetes replaces pods only when their template changes: a scale adds or removes pods, no more
        assertThat(template(render("scaled", scaled))).isEqualTo(template(before));
        assertThat(render("scaled", scaled)).contains("replicas: 5", "slipway.dev/blob-uid: \"b2\"");
    }

    private static String render(String name, ReleaseValues values) throws IOException {
        return new Helm(chart).template().withName(values.appName()).withNamespace("workspace")
                .withValuesFile(write(name, values)).call();
    }

    /** The Deployment's pod template, from its {@code template:} key to the containers. */
    private static String template(String rendered) {
        int start = rendered.indexOf("  template:");
        return rendered.substring(start, rendered.indexOf("containers:", start));
    }

    private static Path write(String name, ReleaseValues values) throws IOException {
        return java.nio.file.Files.writeString(work.resolve(name + ".json"),
                tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(values.asMap()));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = ApplicationChartTest.class.getResourceAsStream("/golden/" + name + ".yaml")) {
            assertThat(in).as("golden file %s.yaml", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
