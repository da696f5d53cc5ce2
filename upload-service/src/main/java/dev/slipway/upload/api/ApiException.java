package dev.slipway.upload.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A refusal the API reports as {@code {"errors":[{"status","title","details"}]}}: the status and
 * a short title say what went wrong, the details say what to do about it.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(HttpStatus status, String title, String details) {
        super(details);
        this.status = status;
        this.title = title;
    }

    public ApiException(HttpStatus status, String title, String details, Throwable cause) {
        super(details, cause);
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String details() {
        return getMessage();
    }

    /** A header the refusal carries, such as {@code Retry-After}. */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public static ApiException badRequest(String details) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad request", details);
    }

    public static ApiException notFound(String details) {
        return new ApiException(HttpStatus.NOT_FOUND, "not found", details);
    }

    public static ApiException conflict(String details) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", details);
    }

    public static ApiException unprocessable(String details) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid input", details);
    }
}
