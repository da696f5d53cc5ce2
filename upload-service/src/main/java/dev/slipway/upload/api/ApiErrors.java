package dev.slipway.upload.api;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The error body of every refusal, in Epinio's shape. */
public record ApiErrors(List<ApiError> errors) {

    public record ApiError(int status, String title, String details) {
    }

    public static ApiErrors of(HttpStatusCode status, String title, String details) {
        return new ApiErrors(List.of(new ApiError(status.value(), title, details)));
    }

    public static ResponseEntity<ApiErrors> response(HttpStatus status, String title, String details) {
        // JSON whatever the client accepts: a refused event stream (Accept: text/event-stream) too
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(of(status, title, details));
    }
}
