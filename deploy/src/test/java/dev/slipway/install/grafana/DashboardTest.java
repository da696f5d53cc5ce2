package dev.slipway.install.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code deploy/grafana/slipway-dashboard.json} parses, and every metric its queries read is one the
 * services declare ({@link Metrics}), under the name Prometheus gives it; every declared metric has a panel.
 */
class DashboardTest {

    static final Path DASHBOARD = Path.of(System.getProperty("slipway.root", ".."))
            .resolve("deploy/grafana/slipway-dashboard.json");

    /** What Prometheus appends to a Micrometer name: counters, then timers in seconds. */
    private static final List<String> SUFFIXES = List.of("", "_total", "_seconds_bucket", "_seconds_count",
            "_seconds_sum", "_seconds_max");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "offset", "bool", "and", "or", "unless");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Test
    void theDashboardParsesAndQueriesOnlyDeclaredMetricsCoveringThemAll() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));

        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("title").asString()).isNotBlank();
            assertThat(panel.path("targets").isEmpty()).as("panel %s has queries", panel.path("title")).isFalse();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("type").asString()).isEqualTo("prometheus");
                expressions.add(target.path("expr").asString());
            }
        }
        assertThat(dashboard.path("title").asString()).isEqualTo("Slipway");
        assertThat(expressions).isNotEmpty();

        Set<String> queried = new TreeSet<>();
        expressions.forEach(expression -> queried.addAll(metricsIn(expression)));
        assertThat(undeclared(queried)).as("metrics the services do not declare").isEmpty();
        for (String declared : Metrics.ALL) {
            assertThat(queried).as("a panel on %s", declared)
                    .anyMatch(name -> declaredAs(name).equals(declared));
        }
    }

    @Test
    void aQueryOfAMetricNoServiceDeclaresIsCaught() {
        // the check above must be able to fail: a misspelling, a removed metric, a stray suffix
        assertThat(undeclared(metricsIn("sum by (reason) (rate(slipway_stage_outcome_total[5m]))")))
                .containsExactly("slipway_stage_outcome_total");
        assertThat(undeclared(metricsIn("histogram_quantile(0.5, sum by (le) (rate(slipway_deploy_duration_bucket"
                + "{outcome=\"deployed\"}[5m])))"))).containsExactly("slipway_deploy_duration_bucket");
        assertThat(metricsIn("max by (job, topic) (kafka_consumer_fetch_manager_records_lag_max)"))
                .containsExactly("kafka_consumer_fetch_manager_records_lag_max");
    }

    /** The metric names in a PromQL expression: label matchers, ranges, groupings and functions left out. */
    static Set<String> metricsIn(String expression) {
        String bare = expression.replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean function = bare.substring(identifier.end()).stripLeading().startsWith("(");
            if (!function && !PROMQL_WORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static List<String> undeclared(Set<String> queried) {
        return queried.stream().filter(name -> declaredAs(name) == null).toList();
    }

    /** The declared metric {@code name} is a series of, or null. */
    private static String declaredAs(String name) {
        for (String declared : Metrics.ALL) {
            for (String suffix : SUFFIXES) {
                if (name.equals(Metrics.prometheusName(declared) + suffix)) {
                    return declared;
                }
            }
        }
        return null;
    }
}
