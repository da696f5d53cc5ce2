package dev.slipway.testsupport.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/** A multipart/form-data body with one file field, streamed from its source, never held in memory. */
public record MultipartUpload(String contentType, HttpRequest.BodyPublisher body) {

    private static final String BOUNDARY = "slipway-upload-boundary";

    public static MultipartUpload of(String field, String fileName, Supplier<InputStream> content) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return new MultipartUpload("multipart/form-data; boundary=" + BOUNDARY,
                HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(
                        List.of(new ByteArrayInputStream(head), content.get(), new ByteArrayInputStream(tail))))));
    }
}
