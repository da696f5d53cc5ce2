package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.upload.auth.SignedTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class CliTokensApiTest extends UploadServiceTest {

    private static final String APPS = "/api/v1/namespaces/workspace/applications";
    private static final String CLI_TOKENS = "/api/v1/auth/cli-tokens";

    @Test
    void aCliTokenIsIssuedForAPasswordAndLastsNinetyDays() {
        ApiClient.Reply issued = as("alice").post(CLI_TOKENS, null);

        assertThat(issued.status()).isEqualTo(201);
        assertThat(issued.header("Cache-Control")).contains("no-store");
        assertThat(issued.body().path("username").asString()).isEqualTo("alice");
        String token = issued.body().path("token").asString();
        assertThat(token).startsWith("cli.").contains(issued.body().path("id").asString());
        Instant expiresAt = Instant.parse(issued.body().path("expiresAt").asString());
        assertThat(Duration.between(Instant.now(), expiresAt)).isBetween(Duration.ofDays(89), Duration.ofDays(90));
        assertThat(anonymous().bearer(token).get(APPS).status()).isEqualTo(200);
        assertThat(anonymous().bearer(token).get("/api/v1/namespaces/other/applications").status()).isEqualTo(403);
    }

    @Test
    void aRevokedCliTokenIsRefusedWith401AndCannotRevokeAgainOrBeRenewed() {
        String token = as("alice").post(CLI_TOKENS, null).body().path("token").asString();
        String other = as("alice").post(CLI_TOKENS, null).body().path("token").asString();

        assertThat(anonymous().bearer(token).delete(CLI_TOKENS + "/current").status()).isEqualTo(204);

        ApiClient.Reply after = anonymous().bearer(token).get(APPS);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.error()).contains("revoked");
        assertThat(anonymous().bearer(token).delete(CLI_TOKENS + "/current").status()).isEqualTo(401);
        assertThat(anonymous().bearer(token).post(CLI_TOKENS, null).status()).isEqualTo(401);
        // only that one token went: the same user's other CLI token still works
        assertThat(anonymous().bearer(other).get(APPS).status()).isEqualTo(200);
    }

    @Test
    void aCliTokenCannotMintItsSuccessor() {
        String token = as("alice").post(CLI_TOKENS, null).body().path("token").asString();
        String shortLived = as("alice").get("/api/v1/authtoken").body().path("token").asString();

        ApiClient.Reply renewed = anonymous().bearer(token).post(CLI_TOKENS, null);

        assertThat(renewed.status()).isEqualTo(403);
        assertThat(renewed.error()).contains("user name and password");
        assertThat(anonymous().bearer(shortLived).post(CLI_TOKENS, null).status()).isEqualTo(403);
        // a token in the URL logs alice in, and a Basic header with a wrong password rides along unchecked
        ApiClient.Reply smuggled = anonymous().basic("alice", "not-her-password")
                .post(CLI_TOKENS + "?authtoken=" + shortLived, null);
        assertThat(smuggled.status()).isIn(401, 403);
        assertThat(smuggled.body().path("token").isMissingNode()).isTrue();
    }

    @Test
    void anotherUsersTokenCannotRevokeYours() {
        ApiClient.Reply alices = as("alice").post(CLI_TOKENS, null);
        String bobs = as("bob").post(CLI_TOKENS, null).body().path("token").asString();

        assertThat(anonymous().bearer(bobs).delete(CLI_TOKENS + "/" + alices.body().path("id").asString()).status())
                .isEqualTo(204);
        assertThat(as("bob").delete(CLI_TOKENS + "/" + alices.body().path("id").asString()).status()).isEqualTo(204);

        assertThat(anonymous().bearer(alices.body().path("token").asString()).get(APPS).status()).isEqualTo(200);
        // bob's own token, not revoked by his attempt on alice's id
        assertThat(anonymous().bearer(bobs).get("/api/v1/namespaces/other/applications").status()).isEqualTo(200);
    }

    @Test
    void anOwnerRevokesTheirTokenById() {
        ApiClient.Reply issued = as("alice").post(CLI_TOKENS, null);

        assertThat(as("alice").delete(CLI_TOKENS + "/" + issued.body().path("id").asString()).status()).isEqualTo(204);

        assertThat(anonymous().bearer(issued.body().path("token").asString()).get(APPS).status()).isEqualTo(401);
    }

    @Test
    void currentNeedsACliTokenAndAnIdMustLookLikeOne() {
        ApiClient.Reply withPassword = as("alice").delete(CLI_TOKENS + "/current");
        ApiClient.Reply badId = as("alice").delete(CLI_TOKENS + "/alice:0123456789abcdef");

        assertThat(withPassword.status()).isEqualTo(400);
        assertThat(withPassword.error()).contains("without one");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.error()).contains("not a CLI token id");
    }

    @Test
    void aCliTokenIsNeitherAShortLivedTokenNorAcceptedInTheUrl() {
        String token = as("alice").post(CLI_TOKENS, null).body().path("token").asString();
        String shortLived = as("alice").get("/api/v1/authtoken").body().path("token").asString();

        // a URL ends up in access logs and shell history: a 90-day token must not travel there
        assertThat(anonymous().get(APPS + "?authtoken=" + token).status()).isEqualTo(401);
        // a short-lived token relabelled as a CLI token breaks its signature
        assertThat(anonymous().bearer("cli" + shortLived.substring(shortLived.indexOf('.'))).get(APPS).status())
                .isEqualTo(401);
    }

    @Test
    void anExpiredCliTokenSaysToLogInAgain() {
        Clock longAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(100)), ZoneOffset.UTC);
        String expired = new SignedTokens("test-token-key-0123456789abcdefghijklmnop", longAgo)
                .issue(SignedTokens.Kind.CLI, "alice", Duration.ofDays(90));

        ApiClient.Reply reply = anonymous().bearer(expired).get(APPS);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).contains("slipway login");
    }

    @Test
    void aCliTokenIssuedForLongerThanTheSettingNowAllowsExpiresWithTheSetting() {
        // issued when the setting was a year (this server's is 90 days), 100 days ago: revoking it by id would
        // be remembered for 90 days only, so it must not outlive the setting either
        Clock longAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(100)), ZoneOffset.UTC);
        String issuedForAYear = new SignedTokens("test-token-key-0123456789abcdefghijklmnop", longAgo)
                .issue(SignedTokens.Kind.CLI, "alice", Duration.ofDays(365));
        Clock lately = Clock.fixed(Instant.now().minus(Duration.ofDays(80)), ZoneOffset.UTC);
        String withinTheSetting = new SignedTokens("test-token-key-0123456789abcdefghijklmnop", lately)
                .issue(SignedTokens.Kind.CLI, "alice", Duration.ofDays(365));

        ApiClient.Reply reply = anonymous().bearer(issuedForAYear).get(APPS);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).contains("expired", "slipway login");
        assertThat(anonymous().bearer(withinTheSetting).get(APPS).status()).isEqualTo(200);
    }

    @Test
    void aCliTokenIsNeverLogged(CapturedOutput output) {
        ApiClient.Reply issued = as("alice").post(CLI_TOKENS, null);
        String token = issued.body().path("token").asString();
        anonymous().bearer(token).get(APPS);
        anonymous().bearer(token).delete(CLI_TOKENS + "/current");
        anonymous().bearer(token).get(APPS);
        anonymous().get(APPS + "?authtoken=" + token);

        assertThat(output.getAll()).doesNotContain(token, token.substring(token.lastIndexOf('.') + 1));
    }
}
