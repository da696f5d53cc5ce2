package dev.slipway.testsupport.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.docker.distribution.manifest.v2+json";

    @Test
    void anOpenRegistryAcceptsAnImagePushedWithJib(@TempDir Path root) throws Exception {
        try (RegistryServer registry = RegistryServer.open(root.resolve("registry"))) {
            JibContainer pushed = pushScratchImage(registry, root, RegistryImage.named(registry.host() + "/demo/web:1"));

            HttpResponse<String> manifest = get(registry.url().resolve("/v2/demo/web/manifests/1"), null);
            assertThat(manifest.statusCode()).isEqualTo(200);
            assertThat(manifest.headers().firstValue("Docker-Content-Digest"))
                    .contains(pushed.getDigest().toString());
        }
    }

    @Test
    void anAuthenticatedRegistryRefusesStrangersAndServesItsUser(@TempDir Path root) throws Exception {
        try (RegistryServer registry = RegistryServer.withBasicAuth(root.resolve("registry"), "builder", "s3cret")) {
            assertThat(get(registry.url().resolve("/v2/"), null).statusCode()).isEqualTo(401);
            assertThat(get(registry.url().resolve("/v2/"), basic("builder", "wrong")).statusCode()).isEqualTo(401);
            assertThat(get(registry.url().resolve("/v2/"), basic("builder", "s3cret")).statusCode()).isEqualTo(200);

            System.setProperty("sendCredentialsOverHttp", "true");
            JibContainer pushed = pushScratchImage(registry, root,
                    RegistryImage.named(registry.host() + "/demo/private:1").addCredential("builder", "s3cret"));
            HttpResponse<String> manifest = get(registry.url().resolve("/v2/demo/private/manifests/1"),
                    basic("builder", "s3cret"));
            assertThat(manifest.headers().firstValue("Docker-Content-Digest"))
                    .contains(pushed.getDigest().toString());
        }
    }

    private static JibContainer pushScratchImage(RegistryServer registry, Path root, RegistryImage target)
            throws Exception {
        Path file = Files.writeString(root.resolve("index.html"), "<h1>hello</h1>");
        return Jib.fromScratch()
                .addLayer(List.of(file), AbsoluteUnixPath.get("/www"))
                .setEntrypoint("/bin/httpd", "-f", "-h", "/www")
                .containerize(Containerizer.to(target).setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(root.resolve("jib-cache"))
                        .setApplicationLayersCache(root.resolve("jib-cache")));
    }

    private static HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", MANIFEST_TYPES);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
