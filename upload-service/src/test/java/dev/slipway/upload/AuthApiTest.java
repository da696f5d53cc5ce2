package dev.slipway.upload;

import dev.slipway.testsupport.http.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.upload.auth.SignedTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthApiTest extends UploadServiceTest {

    private static final String APPS = "/api/v1/namespaces/workspace/applications";

    @Test
    void noCredentialsIsRefusedWith401AndAJsonError() {
        ApiClient.Reply reply = anonymous().get(APPS);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().path("errors").path(0).path("status").asInt()).isEqualTo(401);
        assertThat(reply.error()).contains("HTTP Basic", "/api/v1/authtoken");
    }

    @Test
    void aWrongPasswordIsRefusedWith401() {
        assertThat(anonymous().basic("alice", "guess").get(APPS).status()).isEqualTo(401);
        assertThat(anonymous().basic("mallory", PASSWORD).get(APPS).status()).isEqualTo(401);
    }

    @Test
    void anotherUsersNamespaceIsRefusedWith403() {
        ApiClient.Reply reply = as("bob").get(APPS);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error()).isEqualTo("user bob has no access to namespace workspace");
        assertThat(as("bob").get("/api/v1/namespaces/other/applications").status()).isEqualTo(200);
        assertThat(as("admin").get(APPS).status()).isEqualTo(200);
    }

    @Test
    void aTokenFromAuthtokenWorksAsBearerAndAsQueryParameter() {
        String token = as("alice").get("/api/v1/authtoken").body().path("token").asString();

        assertThat(anonymous().bearer(token).get(APPS).status()).isEqualTo(200);
        assertThat(anonymous().get(APPS + "?authtoken=" + token).status()).isEqualTo(200);
        assertThat(anonymous().bearer(token).get("/api/v1/namespaces/other/applications").status()).isEqualTo(403);
    }

    @Test
    void aTokenSignedByAnotherReplicaWithTheSameKeyIsAccepted() {
        // a replica (or this one after a restart) holding the same key
        SignedTokens otherReplica = new SignedTokens("test-token-key-0123456789abcdefghijklmnop", Clock.systemUTC());
        String token = otherReplica.issue(SignedTokens.Kind.TOKEN, "alice", Duration.ofMinutes(1));

        assertThat(anonymous().bearer(token).get(APPS).status()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsRefusedWith401SayingSo() {
        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        String expired = new SignedTokens("test-token-key-0123456789abcdefghijklmnop", anHourAgo)
                .issue(SignedTokens.Kind.TOKEN, "alice", Duration.ofSeconds(30));

        ApiClient.Reply reply = anonymous().bearer(expired).get(APPS);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).contains("token expired");
    }

    @Test
    void aForgedTokenIsRefused() {
        String forged = new SignedTokens("some-other-key-0123456789abcdefghijklmnop", Clock.systemUTC())
                .issue(SignedTokens.Kind.TOKEN, "admin", Duration.ofMinutes(1));

        assertThat(anonymous().bearer(forged).get(APPS).status()).isEqualTo(401);
    }

    @Test
    void loginSetsASessionCookieThatAuthenticatesLaterRequests() {
        ApiClient.Reply login = anonymous().post("/api/v1/login", Map.of("username", "alice", "password", PASSWORD));

        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.header("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Strict");
        String session = setCookie.substring("slipway_session=".length(), setCookie.indexOf(';'));
        assertThat(anonymous().cookie(session).get(APPS).status()).isEqualTo(200);
        // a session cookie is not a bearer token
        assertThat(anonymous().bearer(session).get(APPS).status()).isEqualTo(401);
    }

    @Test
    void aFailedLoginIsRefusedWithoutACookie() {
        ApiClient.Reply login = anonymous().post("/api/v1/login", Map.of("username", "alice", "password", "nope"));

        assertThat(login.status()).isEqualTo(401);
        assertThat(login.header("Set-Cookie")).isEmpty();
        assertThat(login.error()).isEqualTo("wrong username or password");
    }

    @Test
    void tokenLifetimeIsCapped() {
        ApiClient.Reply reply = as("alice").get("/api/v1/authtoken?ttl=3600");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).contains("between 1 and 300 seconds");
    }

    @Test
    void healthStatusIsPublicButItsDetailsAreForAdminsOnly() {
        ApiClient.Reply anonymous = anonymous().get("/actuator/health");
        ApiClient.Reply user = as("alice").get("/actuator/health");
        ApiClient.Reply admin = as("admin").get("/actuator/health");

        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body().path("status").asString()).isNotBlank();
        assertThat(anonymous.body().has("components")).isFalse();
        assertThat(anonymous.raw().body()).doesNotContain("eventLog", "clusterId", "webhook");
        assertThat(user.body().has("components")).isFalse();
        assertThat(admin.body().path("components").path("eventLog").path("details").has("topic")).isTrue();
    }

    @Test
    void theApiDescriptionNeedsNoCredentials() {
        ApiClient.Reply openApi = anonymous().get("/v3/api-docs");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.body().path("paths").has("/api/v1/namespaces/{namespace}/applications/{app}/store"))
                .isTrue();
    }
}
