package dev.slipway.install.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.registry.RegistryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * registry-mirror as docker-compose.yml configures it, run with Debian's docker-registry (the same
 * distribution 2.8 as the registry:2.8.3 image): what k3s pulls through it, and what an app on k3s's
 * network cannot do with it.
 */
class RegistryMirrorTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MANIFESTS = "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.docker.distribution.manifest.v2+json";

    @TempDir
    Path temp;
    private Process mirror;

    @AfterEach
    void stopTheMirror() throws Exception {
        if (mirror != null) {
            mirror.destroy();
            mirror.waitFor();
        }
    }

    @Test
    void k3sPullsThroughTheMirrorAndAnAppCannotPushToIt() throws Exception {
        try (RegistryServer registry = RegistryServer.open(temp.resolve("registry"))) {
            String pushed = push(registry.host() + "/workspace-site:stage-1");
            String mirrorHost = startMirror(registry.host());

            HttpResponse<String> pulled = get("http://" + mirrorHost + "/v2/workspace-site/manifests/stage-1");
            assertThat(pulled.statusCode()).isEqualTo(200);
            assertThat(pulled.headers().firstValue("Docker-Content-Digest")).hasValue(pushed);

            assertThatThrownBy(() -> push(mirrorHost + "/workspace-site:stage-1"))
                    .hasStackTraceContaining("UNSUPPORTED");
            assertThatThrownBy(() -> push(mirrorHost + "/workspace-other:evil"))
                    .hasStackTraceContaining("UNSUPPORTED");
            assertThat(registry.manifest("workspace-other", "evil")).isEmpty();
        }
    }

    /** Starts docker-registry with the environment compose gives registry-mirror, its upstream at {@code upstream}. */
    private String startMirror(String upstream) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-registry")),
                "Debian's docker-registry is not installed (scripts/setup-debian.sh): the mirror was not tried");
        String remote = ComposeFile.read(ComposeFileTest.ROOT.resolve("docker-compose.yml"))
                .environment("registry-mirror").get("REGISTRY_PROXY_REMOTEURL");
        assertThat(remote).isEqualTo("http://registry:5000");
        int port = FreePorts.next();
        Path config = temp.resolve("mirror.yml");
        Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                + temp.resolve("mirror") + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve("mirror.log").toFile());
        builder.environment().put("REGISTRY_PROXY_REMOTEURL", remote.replace("registry:5000", upstream));
        mirror = builder.start();
        String host = "127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> get("http://" + host + "/v2/").statusCode() == 200);
        return host;
    }

    private static String push(String reference) throws Exception {
        Path file = Files.createTempFile("index", ".html");
        Files.writeString(file, "<h1>" + reference + "</h1>");
        return Jib.fromScratch()
                .addFileEntriesLayer(FileEntriesLayer.builder()
                        .addEntry(file, AbsoluteUnixPath.get("/www/index.html")).build())
                .containerize(Containerizer.to(RegistryImage.named(reference)).setAllowInsecureRegistries(true))
                .getDigest().toString();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", MANIFESTS).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

}
