package dev.slipway.upload.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every failure into the JSON error body, never an HTML page or a stack trace. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiErrors> refused(ApiException refusal) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(refusal.status())
                .contentType(MediaType.APPLICATION_JSON);
        refusal.headers().forEach((name, value) -> response.header(name, value));
        return response.body(ApiErrors.of(refusal.status(), refusal.title(), refusal.details()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiErrors> unreadable(HttpMessageNotReadableException error) {
        return ApiErrors.response(HttpStatus.BAD_REQUEST, "bad request",
                "the request body is not the JSON this endpoint takes: " + error.getMostSpecificCause().getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiErrors> unsupportedType(HttpMediaTypeNotSupportedException error) {
        return ApiErrors.response(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported media type",
                "this endpoint does not take " + error.getContentType() + "; it takes " + error.getSupportedMediaTypes());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiErrors> missingParameter(MissingServletRequestParameterException error) {
        return ApiErrors.response(HttpStatus.BAD_REQUEST, "bad request", error.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiErrors> noSuchPath(NoResourceFoundException error) {
        return ApiErrors.response(HttpStatus.NOT_FOUND, "not found",
                "no endpoint at " + error.getResourcePath() + "; the API is described at /v3/api-docs");
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ApiErrors> status(ResponseStatusException error) {
        HttpStatusCode status = error.getStatusCode();
        return ResponseEntity.status(status).body(ApiErrors.of(status,
                HttpStatus.valueOf(status.value()).getReasonPhrase().toLowerCase(java.util.Locale.ROOT),
                error.getReason() == null ? error.getMessage() : error.getReason()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ApiErrors> invalid(IllegalArgumentException error) {
        return ApiErrors.response(HttpStatus.UNPROCESSABLE_CONTENT, "invalid input", error.getMessage());
    }

    /** A streaming client went away: nobody is left to answer, and it is no server failure. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException gone) {
        log.debug("client went away: {}", gone.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiErrors> unexpected(Exception error) {
        log.error("unexpected failure", error);
        return ApiErrors.response(HttpStatus.INTERNAL_SERVER_ERROR, "internal error",
                "the server failed unexpectedly; the service log has the cause");
    }
}
