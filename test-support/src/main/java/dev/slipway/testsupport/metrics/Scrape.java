package dev.slipway.testsupport.metrics;

import dev.slipway.testsupport.http.ApiClient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One read of a service's {@code /actuator/prometheus}, as Prometheus would take it: the text format,
 * one sample a line ({@code name{label="value",...} number}).
 */
public record Scrape(int status, String text) {

    public static Scrape of(ApiClient client) {
        ApiClient.Reply reply = client.getText("/actuator/prometheus");
        return new Scrape(reply.status(), reply.raw().body());
    }

    /** The samples of {@code name} (exactly that series name) that carry every one of {@code labels}. */
    public List<Double> values(String name, Map<String, String> labels) {
        return Arrays.stream(text.split("\n"))
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> labels.entrySet().stream().allMatch(label ->
                        labelsOf(line).contains("," + label.getKey() + "=\"" + label.getValue() + "\",")))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .toList();
    }

    /** The sum of {@link #values}: a counter's count over the series that match. */
    public double sum(String name, Map<String, String> labels) {
        return values(name, labels).stream().mapToDouble(Double::doubleValue).sum();
    }

    private static String labelsOf(String line) {
        int open = line.indexOf('{');
        int close = line.lastIndexOf('}');
        return open < 0 || close < open ? "" : line.substring(open, close + 1).replace("{", ",").replace("}", ",");
    }
}
