package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.EventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The session cookie as a browser carries it: a foreign page can make the browser send it along,
 * so whatever the cookie authenticates and changes something needs the anti-forgery header and a
 * JSON body. HTTP Basic and bearer tokens (the CLI, scripts, Epinio clients) are not asked for either.
 */
class CookieSessionApiTest extends UploadServiceTest {

    private static final String APPS = "/api/v1/namespaces/workspace/applications";

    private String app;
    private String session;
    private String csrfToken;

    @BeforeEach
    void logInAndCreateAnApp() {
        app = AppsApiTest.uniqueName("csrf");
        assertThat(as("alice").post(APPS, Map.of("name", app)).status()).isEqualTo(201);
        RawRequests.Reply login = raw().header("Content-Type", "application/json")
                .send("POST", "/api/v1/login", "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.header("Set-Cookie").orElseThrow();
        session = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        csrfToken = login.json().path("csrfToken").asString();
        assertThat(csrfToken).isNotBlank();
    }

    @Test
    void aCrossSiteRollbackWithTheCookieAndNoHeaderIs403AndRollsNothingBack() {
        // what <form method=post action=".../rollback"> on a foreign page makes the browser send
        RawRequests.Reply forged = withCookie().send("POST", APPS + "/" + app + "/rollback", null);
        RawRequests.Reply forgedForm = withCookie().header("Content-Type", "application/x-www-form-urlencoded")
                .send("POST", APPS + "/" + app + "/rollback", "revision=1");

        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.error()).contains("X-Slipway-Csrf");
        assertThat(forgedForm.status()).isEqualTo(403);
        // the console's own rollback, with the header, goes through; it is the only one
        RawRequests.Reply own = withCookie().header("X-Slipway-Csrf", csrfToken)
                .header("Content-Type", "application/json").send("POST", APPS + "/" + app + "/rollback", "{}");
        assertThat(own.status()).isEqualTo(202);
        String ownPush = own.json().path("id").asString();
        List<JsonNode> requested = await().atMost(Duration.ofSeconds(30)).until(() -> deployRequestsOf(app),
                events -> events.stream().anyMatch(event -> ownPush.equals(event.path("correlationid").asString())));
        assertThat(requested).hasSize(1);
    }

    @Test
    void theTokenOfAnotherSessionOrAnyOtherValueIsRefused() {
        RawRequests.Reply otherLogin = raw().header("Content-Type", "application/json")
                .send("POST", "/api/v1/login", "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}");
        String othersToken = otherLogin.json().path("csrfToken").asString();

        for (String token : List.of(othersToken, "", "x", session)) {
            RawRequests.Reply reply = withCookie().header("X-Slipway-Csrf", token)
                    .header("Content-Type", "application/json").send("DELETE", APPS + "/" + app, null);
            assertThat(reply.status()).as("token '%s'", token).isEqualTo(403);
        }
        assertThat(as("alice").get(APPS + "/" + app).status()).isEqualTo(200);
    }

    @Test
    void readingWithTheCookieNeedsNoHeader() {
        assertThat(withCookie().get(APPS + "/" + app).status()).isEqualTo(200);
    }

    @Test
    void aCookieRequestWithoutAContentTypeOnAJsonEndpointIs415EvenWithTheHeader() {
        RawRequests.Reply reply = withCookie().header("X-Slipway-Csrf", csrfToken)
                .send("POST", APPS + "/" + app + "/rollback", null);

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.error()).contains("Content-Type: application/json");
    }

    @Test
    void aTextPlainOrFormBodyOnAJsonEndpointIs415ForEveryScheme() {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes());
        RawRequests.Reply text = raw().header("Authorization", basic).header("Content-Type", "text/plain")
                .send("POST", APPS + "/" + app + "/rollback", "{\"revision\":1}");
        RawRequests.Reply form = raw().header("Authorization", basic)
                .header("Content-Type", "application/x-www-form-urlencoded").send("POST", APPS, "name=formapp");
        RawRequests.Reply untyped = raw().header("Authorization", basic).send("POST", APPS, "{\"name\":\"untyped\"}");
        // a cross-site login with the attacker's account ("login CSRF") would be a text/plain post
        RawRequests.Reply login = raw().header("Content-Type", "text/plain")
                .send("POST", "/api/v1/login", "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}");

        assertThat(List.of(text, form, untyped, login)).extracting(RawRequests.Reply::status)
                .containsOnly(415);
        assertThat(text.json().path("errors").path(0).path("status").asInt()).isEqualTo(415);
        assertThat(login.header("Set-Cookie")).isEmpty();
        assertThat(as("alice").get(APPS + "/formapp").status()).isEqualTo(404);
    }

    @Test
    void basicAndBearerNeedNeitherTheHeaderNorABody() {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes());
        // a script's bare POST, as before
        RawRequests.Reply bare = raw().header("Authorization", basic).send("POST", APPS + "/" + app + "/rollback", null);
        String token = as("alice").get("/api/v1/authtoken").body().path("token").asString();
        RawRequests.Reply bearer = raw().header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").send("POST", APPS + "/" + app + "/rollback", "{}");

        assertThat(bare.status()).isEqualTo(202);
        assertThat(bearer.status()).isEqualTo(202);
    }

    @Test
    void theSessionCookieIsSecureHttpOnlyAndStrictOutsideLocalMode() {
        RawRequests.Reply login = raw().header("Content-Type", "application/json")
                .send("POST", "/api/v1/login", "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}");

        String cookie = login.header("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("slipway_session=").contains("; Secure", "; HttpOnly", "; SameSite=Strict",
                "; Path=/");
    }

    @Test
    void logoutWithTheCookieNeedsTheHeaderAndExpiresTheCookie() {
        assertThat(withCookie().header("Content-Type", "application/json").send("POST", "/api/v1/logout", null)
                .status()).isEqualTo(403);

        RawRequests.Reply logout = withCookie().header("X-Slipway-Csrf", csrfToken)
                .send("POST", "/api/v1/logout", null);

        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.header("Set-Cookie").orElseThrow()).contains("Max-Age=0", "; Secure");
    }

    @Test
    void logoutEndsTheSessionOnTheServerAndTheTokensIssuedBeforeIt() {
        String token = as("alice").get("/api/v1/authtoken").body().path("token").asString();
        assertThat(withCookie().get(APPS).status()).isEqualTo(200);

        assertThat(withCookie().header("X-Slipway-Csrf", csrfToken).send("POST", "/api/v1/logout", null).status())
                .isEqualTo(204);

        // a copy of the cookie kept by whoever stole it is worth nothing now
        RawRequests.Reply replayed = withCookie().get(APPS);
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.error()).contains("revoked");
        assertThat(anonymous().bearer(token).get(APPS).status()).isEqualTo(401);
        // logging in again gives a session that works
        RawRequests.Reply again = raw().header("Content-Type", "application/json")
                .send("POST", "/api/v1/login", "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}");
        String fresh = again.header("Set-Cookie").orElseThrow();
        assertThat(raw().header("Cookie", fresh.substring(0, fresh.indexOf(';'))).get(APPS).status()).isEqualTo(200);
    }

    @Test
    void anAdminRevokesEverySessionAndTokenOfAUser() {
        String bobsToken = as("bob").get("/api/v1/authtoken").body().path("token").asString();
        assertThat(anonymous().bearer(bobsToken).get("/api/v1/namespaces/other/applications").status())
                .isEqualTo(200);
        assertThat(as("alice").post("/api/v1/users/bob/revoke-tokens", Map.of()).status()).isEqualTo(403);

        assertThat(as("admin").post("/api/v1/users/bob/revoke-tokens", Map.of()).status()).isEqualTo(200);

        assertThat(anonymous().bearer(bobsToken).get("/api/v1/namespaces/other/applications").status())
                .isEqualTo(401);
        assertThat(as("admin").post("/api/v1/users/nobody/revoke-tokens", Map.of()).status()).isEqualTo(404);
    }

    private RawRequests raw() {
        return RawRequests.from("127.0.0.1", port);
    }

    private RawRequests withCookie() {
        return raw().header("Cookie", "slipway_session=" + session);
    }

    /** The deploy requests of the app, as the audit API lists them. */
    private List<JsonNode> deployRequestsOf(String name) {
        return as("alice").get("/api/v1/events?namespace=workspace&app=" + name + "&type="
                + EventType.DEPLOY_REQUESTED.type()).body().values().stream().toList();
    }
}
