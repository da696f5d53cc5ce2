package dev.slipway.upload;

import static org.awaitility.Awaitility.await;

import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.events.Topics;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.s3.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * upload-service on a real embedded broker and a real S3 server (s3proxy). All API test classes
 * share one application and broker (same configuration, so Spring caches the context).
 * Users: admin (everything), alice (namespace workspace), bob (namespace other), carol (admin of workspace).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=upload-service",
                "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "slipway.auth.logins-per-minute=1000",
                // failures of one test must not lock out the next; AuthThrottleApiTest tests the limits
                "slipway.auth.throttle.failures-per-user=100000", "slipway.auth.throttle.failures-per-client=100000",
                "slipway.store.max-upload-size=8MB",
                "slipway.store.namespace-quotas.quota-test=48KB", "slipway.system-domain=apps.test",
                "slipway.webhooks.retry-wait=50ms", "slipway.webhooks.max-wait=200ms",
                "slipway.webhooks.allowed-ranges=127.0.0.1/32", "slipway.webhooks.timeout=2s",
                "slipway.webhooks.max-subscriptions-per-namespace=4", "slipway.pushes.stream-heartbeat=200ms",
                // a follow's response (its headers) starts with its first line or heartbeat
                "slipway.logs.heartbeat=200ms",
                // short enough for AppLogsApiTest to see streams cut at their limit, long for any other request
                "slipway.logs.follow-timeout=15s", "slipway.logs.read-timeout=8s",
                "slipway.staging.kubernetes.allowed-builders=paketobuildpacks/builder-jammy-*,example/*",
                "slipway.namespaces.reserved=platform-extra"})
@Import(ScriptedResolver.class)
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UploadServiceTest {

    static final String PASSWORD = "correct horse battery staple";
    static final S3Server S3 = S3Server.inMemory();
    static final Path STATE_DIR = stateDir();

    @Value("${local.server.port}")
    int port;

    EventLog log;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        String hash = new BCryptPasswordEncoder(4).encode(PASSWORD);
        // the stores of this context's broker alone: contexts with other settings run beside this one, each on
        // a broker of its own, and must not share (or lock each other out of) a state folder
        registry.add("slipway.upload.streams.state-dir",
                () -> STATE_DIR.resolve("broker-${spring.embedded.kafka.brokers}").toString());
        registry.add("slipway.s3.endpoint", S3::endpoint);
        registry.add("slipway.s3.access-key", S3::accessKey);
        registry.add("slipway.s3.secret-key", S3::secretKey);
        registry.add("slipway.auth.token-key", () -> "test-token-key-0123456789abcdefghijklmnop");
        registry.add("slipway.secrets.key", () -> "test-secrets-key-0123456789abcdefghijklmnop");
        registry.add("slipway.auth.users[0].username", () -> "admin");
        registry.add("slipway.auth.users[0].password-hash", () -> hash);
        registry.add("slipway.auth.users[0].roles[0]", () -> "admin");
        registry.add("slipway.auth.users[1].username", () -> "alice");
        registry.add("slipway.auth.users[1].password-hash", () -> hash);
        registry.add("slipway.auth.users[1].roles[0]", () -> "user");
        registry.add("slipway.auth.users[1].namespaces[0]", () -> "workspace");
        registry.add("slipway.auth.users[2].username", () -> "bob");
        registry.add("slipway.auth.users[2].password-hash", () -> hash);
        registry.add("slipway.auth.users[2].roles[0]", () -> "user:other");
        registry.add("slipway.auth.users[3].username", () -> "carol");
        registry.add("slipway.auth.users[3].password-hash", () -> hash);
        registry.add("slipway.auth.users[3].roles[0]", () -> "admin:workspace");
    }

    static Path stateDir() {
        try {
            Path dir = Files.createTempDirectory("upload-streams-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ApiClient anonymous() {
        return ApiClient.anonymous(port);
    }

    ApiClient as(String user) {
        return anonymous().basic(user, PASSWORD);
    }

    @Autowired
    EmbeddedKafkaBroker broker;

    /** On this context's broker: a test class with its own broker may since have changed the system property. */
    @BeforeAll
    void openLog() {
        log = new EventLog(broker.getBrokersAsString());
    }

    /**
     * The context may have been paused while another test class ran (its Streams clients stopped) and
     * started again for this one: its stores are back once readiness says so, as a user's would be.
     */
    @BeforeEach
    void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> anonymous().get("/actuator/health/readiness").status() == 200);
    }

    @AfterAll
    void closeLog() {
        log.close();
    }
}
