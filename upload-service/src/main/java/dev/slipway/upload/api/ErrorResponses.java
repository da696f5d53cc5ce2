package dev.slipway.upload.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/** Writes the JSON error body from servlet filters, which run before Spring MVC's error handling. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static void write(HttpServletResponse response, HttpStatus status, String title, String details)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        JsonMapper.shared().writeValue(response.getOutputStream(), ApiErrors.of(status, title, details));
    }
}
