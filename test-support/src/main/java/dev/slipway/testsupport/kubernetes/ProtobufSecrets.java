package dev.slipway.testsupport.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a v1 Secret sent in Kubernetes' protobuf encoding ({@code k8s\0} + runtime.Unknown), which is
 * how Helm's storage driver writes its release records. Only the fields a Secret has are read; the
 * mock API server then stores it as JSON like any other object.
 */
final class ProtobufSecrets {

    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private ProtobufSecrets() {
    }

    static boolean isProtobuf(String contentType) {
        return contentType != null && contentType.startsWith("application/vnd.kubernetes.protobuf");
    }

    static Secret read(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("not a Kubernetes protobuf object");
        }
        Reader unknown = new Reader(Arrays.copyOfRange(body, MAGIC.length, body.length));
        byte[] raw = null;
        while (unknown.more()) {
            int field = unknown.tag();
            if (field == 2) {
                raw = unknown.bytes();
                break;  // the object itself; encoding fields after it are empty for protobuf
            }
            unknown.skip();
        }
        if (raw == null) {
            throw new IllegalArgumentException("protobuf object without raw content");
        }
        return secret(new Reader(raw));
    }

    private static Secret secret(Reader in) {
        SecretBuilder secret = new SecretBuilder().withApiVersion("v1").withKind("Secret");
        Map<String, String> data = new LinkedHashMap<>();
        while (in.more()) {
            switch (in.tag()) {
                case 1 -> secret.withMetadata(meta(new Reader(in.bytes())));
                case 2 -> {
                    Reader entry = new Reader(in.bytes());
                    String key = null;
                    byte[] value = new byte[0];
                    while (entry.more()) {
                        int field = entry.tag();
                        if (field == 1) {
                            key = entry.string();
                        } else if (field == 2) {
                            value = entry.bytes();
                        } else {
                            entry.skip();
                        }
                    }
                    data.put(key, Base64.getEncoder().encodeToString(value));
                }
                case 3 -> secret.withType(in.string());
                default -> in.skip();
            }
        }
        return secret.withData(data).build();
    }

    private static io.fabric8.kubernetes.api.model.ObjectMeta meta(Reader in) {
        ObjectMetaBuilder meta = new ObjectMetaBuilder();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        while (in.more()) {
            switch (in.tag()) {
                case 1 -> meta.withName(in.string());
                case 2 -> meta.withGenerateName(in.string());
                case 3 -> meta.withNamespace(in.string());
                case 5 -> meta.withUid(in.string());
                case 6 -> meta.withResourceVersion(in.string());
                case 11 -> putEntry(new Reader(in.bytes()), labels);
                case 12 -> putEntry(new Reader(in.bytes()), annotations);
                default -> in.skip();
            }
        }
        return meta.withLabels(labels).withAnnotations(annotations.isEmpty() ? null : annotations).build();
    }

    private static void putEntry(Reader entry, Map<String, String> into) {
        String key = null;
        String value = "";
        while (entry.more()) {
            int field = entry.tag();
            if (field == 1) {
                key = entry.string();
            } else if (field == 2) {
                value = entry.string();
            } else {
                entry.skip();
            }
        }
        into.put(key, value);
    }

    /** Protobuf wire format: varints and length-delimited fields are all a Secret uses. */
    private static final class Reader {
        private final byte[] data;
        private int position;
        private int wireType;

        Reader(byte[] data) {
            this.data = data;
        }

        boolean more() {
            return position < data.length;
        }

        int tag() {
            long tag = varint();
            wireType = (int) (tag & 7);
            return (int) (tag >>> 3);
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = data[position++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        byte[] bytes() {
            int length = (int) varint();
            byte[] bytes = Arrays.copyOfRange(data, position, position + length);
            position += length;
            return bytes;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> position += 8;
                case 2 -> {
                    int length = (int) varint();  // read first: "position += varint()" would use the old position
                    position += length;
                }
                case 5 -> position += 4;
                default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
            }
        }
    }
}
