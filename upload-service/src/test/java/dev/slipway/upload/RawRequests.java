package dev.slipway.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests exactly as an attacker or a proxy writes them: any method, headers, content type and
 * body, sent from a chosen loopback address (127.0.0.2 stands for an ingress in front of the API).
 */
final class RawRequests {

    record Reply(int status, Map<String, String> headers, String body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        JsonNode json() {
            return body.isBlank() ? JsonMapper.shared().createObjectNode() : JsonMapper.shared().readTree(body);
        }

        String error() {
            return json().path("errors").path(0).path("details").asString();
        }
    }

    private final String from;
    private final int port;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private RawRequests(String from, int port) {
        this.from = from;
        this.port = port;
    }

    static RawRequests from(String address, int port) {
        return new RawRequests(address, port);
    }

    RawRequests header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    /** {@code body} may be null: no body and no Content-Length, as a bare form post or fetch sends it. */
    Reply send(String method, String path, String body) {
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.0\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("\r\n");
        // HTTP/1.0: the server closes the connection after a body that is not chunked
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    private static Reply parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim(), (first, second) -> first + "\n" + second);
        }
        return new Reply(status, headers, text.substring(end + 4));
    }
}
