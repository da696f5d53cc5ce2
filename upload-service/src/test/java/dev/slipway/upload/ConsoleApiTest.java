package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The web console's files are served to anyone (they hold no data) with headers that keep a page
 * from running anything but them, while the API behind them stays as closed as before: no data
 * without credentials, no state change by the cookie without the anti-forgery header.
 */
class ConsoleApiTest extends UploadServiceTest {

    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Test
    void theConsoleIsServedWithoutCredentialsAndTheRootLeadsToIt() {
        RawRequests.Reply page = raw().get("/console/");
        RawRequests.Reply root = raw().get("/");
        RawRequests.Reply bare = raw().get("/console");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<title>Slipway console</title>", "src=\"console.js\"")
                .doesNotContain("<script>", "style=");
        assertThat(List.of(root, bare)).allSatisfy(redirect -> {
            assertThat(redirect.status()).isEqualTo(302);
            assertThat(redirect.header("Location").orElseThrow()).endsWith("/console/");
        });
        for (String file : List.of("console.js", "api.js", "dom.js", "timeline.js", "views.js")) {
            RawRequests.Reply script = raw().get("/console/" + file);
            assertThat(script.status()).as(file).isEqualTo(200);
            assertThat(script.header("Content-Type").orElseThrow()).as(file).contains("javascript");
            // data reaches the page as text only
            assertThat(script.body()).as(file).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML",
                    "document.write", "eval(");
        }
        assertThat(raw().get("/console/console.css").header("Content-Type").orElseThrow()).startsWith("text/css");
    }

    @Test
    void everyConsoleResponseCarriesTheStrictPolicyAndIsNeverCached() {
        for (String path : List.of("/console/", "/console/index.html", "/console/console.js", "/console/console.css")) {
            RawRequests.Reply reply = raw().get(path);
            assertThat(reply.status()).as(path).isEqualTo(200);
            // one value each: a second, laxer header would be combined with it by the browser
            assertThat(reply.header("Content-Security-Policy")).as(path).contains(POLICY);
            assertThat(reply.header("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(reply.header("Referrer-Policy")).as(path).contains("no-referrer");
            assertThat(reply.header("X-Frame-Options")).as(path).contains("DENY");
            assertThat(reply.header("Cache-Control")).as(path).contains("no-store");
        }
    }

    @Test
    void onlyTheConsolesOwnFilesAreOpen() {
        // an unknown console file is a plain 404, and nothing deeper or beside it is opened up
        assertThat(raw().get("/console/missing.js").status()).isEqualTo(404);
        for (String path : List.of("/console/x/y.js", "/consolex", "/index.html", "/api/v1/applications",
                "/api/v1/pushes/0b7e6c4e-0000-4000-8000-000000000000", "/api/v1/subscriptions", "/api/v1/events",
                "/actuator/prometheus")) {
            RawRequests.Reply reply = raw().get(path);
            assertThat(reply.status()).as(path).isEqualTo(401);
            assertThat(reply.body()).as(path).doesNotContain("Slipway console");
        }
        // the service's settings sit one folder above the console's files on the classpath
        for (String path : List.of("/console/..%2fupload-service.yml", "/console/%2e%2e/upload-service.yml",
                "/console/..%5cupload-service.yml", "/console/%2e%2e%2fupload-service.yml")) {
            RawRequests.Reply reply = raw().get(path);
            assertThat(reply.status()).as(path).isIn(400, 401, 404);
            assertThat(reply.body()).as(path).doesNotContain("slipway:", "spring:");
        }
        // the console's paths open only GET: a POST there is asked for credentials like any other request
        assertThat(raw().header("Content-Type", "application/json").send("POST", "/console/", "{}").status())
                .isEqualTo(401);
    }

    @Test
    void theConsoleIsNotPartOfTheApiDescription() {
        RawRequests.Reply description = raw().get("/v3/api-docs");

        assertThat(description.status()).isEqualTo(200);
        assertThat(description.json().path("paths").propertyNames()).isNotEmpty()
                .noneMatch(path -> path.equals("/") || path.startsWith("/console"));
    }

    @Test
    void theApiBehindTheConsoleStillWantsTheCookieAndTheHeader() {
        RawRequests.Reply login = raw().header("Content-Type", "application/json")
                .send("POST", "/api/v1/login", "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}");
        String setCookie = login.header("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrfToken = login.json().path("csrfToken").asString();
        String app = AppsApiTest.uniqueName("console");
        String apps = "/api/v1/namespaces/workspace/applications";

        RawRequests.Reply forged = raw().header("Cookie", cookie).header("Content-Type", "application/json")
                .send("POST", apps, "{\"name\":\"" + app + "\"}");
        RawRequests.Reply own = raw().header("Cookie", cookie).header("Content-Type", "application/json")
                .header("X-Slipway-Csrf", csrfToken).send("POST", apps, "{\"name\":\"" + app + "\"}");

        assertThat(forged.status()).isEqualTo(403);
        assertThat(own.status()).as("201, not 409: the forged request made nothing").isEqualTo(201);
        assertThat(raw().header("Cookie", cookie).get("/api/v1/applications").body()).contains(app);
        assertThat(as("alice").get(apps + "/" + app).status()).isEqualTo(200);
    }

    private RawRequests raw() {
        return RawRequests.from("127.0.0.1", port);
    }
}
