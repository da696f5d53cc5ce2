package dev.slipway.staging.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The names podman's and Kaniko's own processes read are refused as build env, whatever their case. */
class ReservedBuildEnvTest {

    @Test
    void whatPodmanAndItsLibrariesReadIsReserved() {
        for (String name : List.of("CONTAINER_HOST", "container_connection", "CONTAINERS_CONF", "_CONTAINERS_USERNS_CONFIGURED",
                "BUILDAH_ISOLATION", "STORAGE_DRIVER", "REGISTRIES_CONFIG_PATH", "REGISTRY_AUTH_FILE",
                "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "TMPDIR", "HOME", "PATH", "LD_PRELOAD", "GODEBUG",
                "GOMAXPROCS", "GOGC", "GOMEMLIMIT", "GOTRACEBACK", "http_proxy", "HTTPS_PROXY", "no_proxy",
                "SSL_CERT_FILE", "DOCKER_CONFIG", "NOTIFY_SOCKET", "SLIPWAY_REGISTRY", "Podman_Userns")) {
            assertThat(ReservedBuildEnv.PODMAN.reserved(name)).as(name).isTrue();
        }
    }

    @Test
    void ordinaryBuildEnvIsNot() {
        for (String name : List.of("NPM_TOKEN", "GOPROXY", "GOFLAGS", "NODE_ENV", "HOMEPAGE_URL", "PATHS", "API_URL")) {
            assertThat(ReservedBuildEnv.PODMAN.reserved(name)).as(name).isFalse();
            assertThat(ReservedBuildEnv.KANIKO.reserved(name)).as(name).isFalse();
        }
    }

    @Test
    void kanikoSharesTheGoBuildersNamesAndAddsItsOwn() {
        for (String name : List.of("HTTPS_PROXY", "GODEBUG", "SSL_CERT_DIR", "KANIKO_DIR", "AWS_ACCESS_KEY_ID",
                "GOOGLE_APPLICATION_CREDENTIALS", "container_host")) {
            assertThat(ReservedBuildEnv.KANIKO.reserved(name)).as(name).isTrue();
        }
        assertThat(ReservedBuildEnv.KANIKO.reserved("BUILDAH_ISOLATION")).isFalse();
        assertThat(ReservedBuildEnv.PODMAN.describe()).contains("HOME", "BUILDAH_*", "CONTAINER_*");
    }
}
