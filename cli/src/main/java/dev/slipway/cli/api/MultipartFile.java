package dev.slipway.cli.api;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.LongConsumer;

/** A file as one multipart/form-data field, streamed from disk with its progress counted. */
final class MultipartFile {

    private final String boundary = "slipway-" + UUID.randomUUID();
    private final String field;
    private final Path file;
    private final LongConsumer progress;

    MultipartFile(String field, Path file, LongConsumer progress) {
        this.field = field;
        this.file = file;
        this.progress = progress;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    HttpRequest.BodyPublisher publisher() {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        long length;
        try {
            length = head.length + Files.size(file) + tail.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return new SequenceInputStream(java.util.Collections.enumeration(List.of(
                        new ByteArrayInputStream(head), counted(Files.newInputStream(file)),
                        new ByteArrayInputStream(tail))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), length);
    }

    private InputStream counted(InputStream in) {
        return new FilterInputStream(in) {
            private long sent;

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int read = super.read(buffer, offset, length);
                if (read > 0) {
                    sent += read;
                    progress.accept(sent);
                }
                return read;
            }
        };
    }
}
