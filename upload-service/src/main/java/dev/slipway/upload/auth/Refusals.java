package dev.slipway.upload.auth;

import dev.slipway.upload.api.ErrorResponses;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** The answers of the security filters that are not a plain 401. */
final class Refusals {

    private Refusals() {
    }

    static void tooManyFailures(HttpServletResponse response, TooManyFailuresException throttled) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
        ErrorResponses.write(response, HttpStatus.TOO_MANY_REQUESTS, "too many requests", throttled.getMessage());
    }

    static void missingCsrfToken(HttpServletResponse response) throws IOException {
        ErrorResponses.write(response, HttpStatus.FORBIDDEN, "forbidden",
                "a request authenticated by the session cookie that changes something must send the "
                        + SessionCsrfFilter.HEADER + " header with the csrfToken from /api/v1/login");
    }
}
