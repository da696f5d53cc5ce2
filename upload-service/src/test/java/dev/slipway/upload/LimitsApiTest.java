package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.upload.limits.UserSlots;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The caps on what one request or one user may ask (slipway.limits.*, at their defaults: 10
 * instances, 10 routes, 64 KB of JSON, 8 streams per user), tried through HTTP at and past each cap.
 */
class LimitsApiTest extends UploadServiceTest {

    private static final String APPS = "/api/v1/namespaces/workspace/applications";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    @Qualifier(UserSlots.EVENT_STREAMS)
    UserSlots slots;

    @Test
    void instancesUpToTheCapAreTakenAndOneMoreIsRefusedOnCreateAndUpdate() {
        String name = AppsApiTest.uniqueName("scaled");
        assertThat(as("alice").post(APPS, Map.of("name", name, "configuration", Map.of("instances", 10))).status())
                .isEqualTo(201);

        ApiClient.Reply tooMany = as("alice").patch(APPS + "/" + name, Map.of("instances", 11));
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.error()).contains("at most 10 instances", "slipway.limits.max-instances");
        assertThat(as("alice").get(APPS + "/" + name).body().path("configuration").path("instances").asInt())
                .isEqualTo(10);

        ApiClient.Reply huge = as("alice").post(APPS, Map.of("name", AppsApiTest.uniqueName("huge"),
                "configuration", Map.of("instances", Integer.MAX_VALUE)));
        assertThat(huge.status()).isEqualTo(422);
        assertThat(huge.body().path("errors").path(0).path("status").asInt()).isEqualTo(422);
    }

    @Test
    void routesUpToTheCapAreTakenAndOneMoreIsRefusedOnCreateAndUpdate() {
        String name = AppsApiTest.uniqueName("routed");
        List<String> ten = IntStream.range(0, 10).mapToObj(i -> name + "-" + i + ".example.com").toList();
        assertThat(as("alice").post(APPS, Map.of("name", name, "configuration", Map.of("routes", ten))).status())
                .isEqualTo(201);

        List<String> eleven = new ArrayList<>(ten);
        eleven.add(name + "-10.example.com");
        ApiClient.Reply tooMany = as("alice").patch(APPS + "/" + name, Map.of("routes", eleven));
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.error()).contains("at most 10 routes", "11 were given");
        assertThat(as("alice").post(APPS, Map.of("name", AppsApiTest.uniqueName("routed"),
                "configuration", Map.of("routes", eleven))).status()).isEqualTo(422);
        // the same route typed twice is one route
        List<String> repeated = new ArrayList<>(ten);
        repeated.add("HTTPS://" + name + "-0.example.com/");
        assertThat(as("alice").patch(APPS + "/" + name, Map.of("routes", repeated)).status()).isEqualTo(200);
    }

    @Test
    void reservedHostsAreRefusedBeforeAnythingIsStored() {
        String name = AppsApiTest.uniqueName("hijack");
        for (String route : List.of("api.apps.test/login", "LOCALHOST", "127.0.0.1/x", "registry.apps.test")) {
            ApiClient.Reply refused = as("alice").post(APPS, Map.of("name", name,
                    "configuration", Map.of("routes", List.of(route))));
            assertThat(refused.status()).as(route).isEqualTo(422);
            assertThat(refused.error()).contains("is reserved for the platform");
        }
        ApiClient.Reply named = as("alice").post(APPS, Map.of("name", "api"));
        assertThat(named.status()).isEqualTo(422);
        assertThat(named.error()).contains("host api.apps.test is reserved", "give the app another name");
        assertThat(as("alice").get(APPS + "/" + name).status()).isEqualTo(404);
        assertThat(as("alice").get(APPS + "/api").status()).isEqualTo(404);

        as("alice").post(APPS, Map.of("name", name));
        assertThat(as("alice").patch(APPS + "/" + name, Map.of("routes", List.of("slipway.apps.test"))).status())
                .isEqualTo(422);
        assertThat(as("alice").get(APPS + "/" + name).body().path("configuration").path("routes").size())
                .isEqualTo(1);
    }

    @Test
    void aJsonBodyAtTheCapIsReadAndOneByteMoreIs413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        String name = AppsApiTest.uniqueName("padded");
        byte[] atCap = createBody(name, 64 * 1024);
        assertThat(send(post(APPS, HttpRequest.BodyPublishers.ofByteArray(atCap))).statusCode()).isEqualTo(201);

        byte[] over = createBody(AppsApiTest.uniqueName("padded"), 64 * 1024 + 1);
        HttpResponse<String> declared = send(post(APPS, HttpRequest.BodyPublishers.ofByteArray(over)));
        assertTooLarge(declared);
        // chunked: no length up front, so the cap is found while reading
        HttpResponse<String> chunked = send(post(APPS, HttpRequest.BodyPublishers.ofInputStream(() ->
                new ByteArrayInputStream(over))));
        assertTooLarge(chunked);
        // a stream far larger than the cap is cut short, not read to its end
        HttpResponse<String> endless = send(post(APPS, HttpRequest.BodyPublishers.ofInputStream(() ->
                new InputStream() {
                    @Override
                    public int read() {
                        return ' ';
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) {
                        java.util.Arrays.fill(buffer, offset, offset + length, (byte) ' ');
                        return length;
                    }
                })));
        assertTooLarge(endless);
        // a form body is not read whole by Spring's form filter first
        HttpResponse<String> form = send(HttpRequest.newBuilder(URI.create(base() + APPS + "/" + name))
                .header("Authorization", basic("alice")).header("Content-Type", "application/x-www-form-urlencoded")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(over)).build());
        assertTooLarge(form);
        // anonymous callers are cut short too, before authentication
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(base() + APPS))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(over))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTooLarge(anonymous);
    }

    @Test
    void sourceUploadsAreNotHeldToTheJsonCap() {
        String name = AppsApiTest.uniqueName("big-source");
        as("alice").post(APPS, Map.of("name", name));
        byte[] noise = new byte[256 * 1024];
        new java.util.Random(7).nextBytes(noise);
        byte[] archive = Archives.tarGz(Map.of("noise.bin", new String(noise, StandardCharsets.ISO_8859_1)));
        assertThat(archive.length).isGreaterThan(64 * 1024);

        ApiClient.Reply stored = as("alice").upload(APPS + "/" + name + "/store", "file",
                () -> new ByteArrayInputStream(archive));

        assertThat(stored.status()).isEqualTo(200);
    }

    @Test
    void eachUserHoldsAtMostEightStreamsAClosedOneFreesItsSlotAndOthersAreNotBlocked() throws Exception {
        String alicesPush = pushOf("alice", "workspace");
        String bobsPush = pushOf("bob", "other");
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                HttpResponse<InputStream> stream = stream("alice", alicesPush);
                assertThat(stream.statusCode()).isEqualTo(200);
                open.add(stream);
            }
            HttpResponse<InputStream> ninth = stream("alice", alicesPush);
            assertThat(ninth.statusCode()).as(() -> "the ninth stream; the eight open ones sent: "
                    + open.stream().map(LimitsApiTest::available).toList()).isEqualTo(429);
            assertThat(ninth.headers().firstValue("Retry-After")).contains("10");
            assertThat(ninth.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/json"));
            JsonNode error = JsonMapper.shared().readTree(ninth.body().readAllBytes());
            assertThat(error.path("errors").path(0).path("details").asString())
                    .contains("already follows 8 event streams", "close one");

            // another user's streams are counted apart (and a push they cannot see is a JSON 404, not a stream)
            HttpResponse<InputStream> hidden = stream("bob", alicesPush);
            assertThat(hidden.statusCode()).isEqualTo(404);
            assertThat(JsonMapper.shared().readTree(hidden.body().readAllBytes()).path("errors").path(0)
                    .path("status").asInt()).isEqualTo(404);
            HttpResponse<InputStream> bobs = stream("bob", bobsPush);
            assertThat(bobs.statusCode()).isEqualTo(200);
            open.add(bobs);

            // a client that goes away gives its slot back
            open.remove(0).body().close();
            HttpResponse<InputStream> again = await().atMost(TIMEOUT).until(() -> stream("alice", alicesPush),
                    response -> {
                        if (response.statusCode() != 200) {
                            close(response);
                        }
                        return response.statusCode() == 200;
                    });
            open.add(again);
        } finally {
            open.forEach(LimitsApiTest::close);
        }
        // all closed: every slot comes back, none leaks. The server notices a closed stream only at its next
        // heartbeats, so the slots are awaited where they are counted: a probe of streams would itself hold
        // slots for that long and, polled again sooner, never find all eight free at once
        await().atMost(TIMEOUT).until(() -> slots.openBy("alice") == 0 && slots.openBy("bob") == 0);
        List<HttpResponse<InputStream>> again = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                again.add(stream("alice", alicesPush));
            }
            assertThat(again).extracting(HttpResponse::statusCode).containsOnly(200);
        } finally {
            again.forEach(LimitsApiTest::close);
        }
        await().atMost(TIMEOUT).until(() -> slots.openBy("alice") == 0);
    }

    /** A running push of a new app of {@code namespace}: stored source, stage requested, never finished. */
    private String pushOf(String user, String namespace) {
        String name = AppsApiTest.uniqueName("followed");
        String appPath = "/api/v1/namespaces/" + namespace + "/applications/" + name;
        as(user).post("/api/v1/namespaces/" + namespace + "/applications", Map.of("name", name));
        String blobUid = as(user).upload(appPath + "/store", "file", () -> new ByteArrayInputStream(
                Archives.tarGz(Map.of("index.html", "hi")))).body().path("blobuid").asString();
        return as(user).post(appPath + "/stage", Map.of("blobuid", blobUid)).body().path("stage").path("id")
                .asString();
    }

    /** What a stream sent so far, for a failure's message. */
    private static String available(HttpResponse<InputStream> stream) {
        try {
            return new String(stream.body().readNBytes(stream.body().available()), StandardCharsets.UTF_8)
                    .replaceAll("data:.*", "data:...");
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }

    private static void close(HttpResponse<InputStream> stream) {
        try {
            stream.body().close();
        } catch (java.io.IOException alreadyGone) {
            // closed either way
        }
    }

    private HttpResponse<InputStream> stream(String user, String pushId) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/pushes/" + pushId + "/events"))
                .header("Authorization", basic(user)).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** A create request of exactly {@code size} bytes, padded with an env value. */
    /** A create of {@code name} padded with JSON whitespace to {@code size} bytes (an env value that long is refused). */
    private static byte[] createBody(String name, int size) {
        String app = JsonMapper.shared().writeValueAsString(Map.of("name", name));
        byte[] body = (app.substring(0, app.length() - 1) + " ".repeat(size - app.length()) + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).hasSize(size);
        return body;
    }

    private HttpRequest post(String path, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", basic("alice"))
                .header("Content-Type", "application/json").POST(body).build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertTooLarge(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(413);
        JsonNode error = JsonMapper.shared().readTree(response.body());
        assertThat(error.path("errors").path(0).path("details").asString())
                .contains("larger than 65536 bytes", "slipway.limits.max-json-body");
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
