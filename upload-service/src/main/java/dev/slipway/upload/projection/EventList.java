package dev.slipway.upload.projection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One push's events as a stored value, appended to without reading them: the newest event's time
 * (for expiry), then frames of id and CloudEvents JSON. Pushes have a handful of events, so the
 * copy on each append is cheap, and a GET of a push is one read; {@link #hasRoom} bounds the size.
 */
final class EventList {

    /** Build output beyond this is left out of a push's list (the audit trail and live streams still carry it). */
    static final int LOG_BYTES = 256 * 1024;

    /** Nothing beyond this: the list is one record of the store's changelog, and Kafka takes up to 1 MB. */
    static final int MAX_BYTES = 768 * 1024;

    private EventList() {
    }

    /**
     * Whether an event of {@code jsonLength} bytes still fits the push's list: build output only while the
     * list is under {@link #LOG_BYTES}, anything else under {@link #MAX_BYTES}. A verbose build (or many
     * replays) must not grow one value past what the changelog can take, which would stop the whole
     * projection, nor make every append copy megabytes.
     */
    static boolean hasRoom(byte[] list, int jsonLength, boolean buildOutput) {
        int size = (list == null ? Long.BYTES : list.length) + 2 * Integer.BYTES + 64 + jsonLength;
        return size <= (buildOutput ? LOG_BYTES : MAX_BYTES);
    }

    static byte[] append(byte[] list, String id, long epochMillis, byte[] json) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        int old = list == null ? 0 : list.length - Long.BYTES;
        long newest = list == null ? epochMillis : Math.max(epochMillis, ByteBuffer.wrap(list).getLong());
        ByteBuffer next = ByteBuffer.allocate(Long.BYTES + old + 2 * Integer.BYTES + idBytes.length + json.length);
        next.putLong(newest);
        if (list != null) {
            next.put(list, Long.BYTES, old);
        }
        next.putInt(idBytes.length).put(idBytes).putInt(json.length).put(json);
        return next.array();
    }

    static long newestMillis(byte[] list) {
        return ByteBuffer.wrap(list).getLong();
    }

    static boolean contains(byte[] list, String id) {
        if (list == null) {
            return false;
        }
        byte[] wanted = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer frames = ByteBuffer.wrap(list, Long.BYTES, list.length - Long.BYTES);
        while (frames.hasRemaining()) {
            int idLength = frames.getInt();
            if (idLength == wanted.length && ByteBuffer.wrap(list, frames.position(), idLength)
                    .equals(ByteBuffer.wrap(wanted))) {
                return true;
            }
            frames.position(frames.position() + idLength);
            int jsonLength = frames.getInt();
            frames.position(frames.position() + jsonLength);
        }
        return false;
    }

    static List<byte[]> jsons(byte[] list) {
        List<byte[]> found = new ArrayList<>();
        if (list == null) {
            return found;
        }
        ByteBuffer frames = ByteBuffer.wrap(list, Long.BYTES, list.length - Long.BYTES);
        while (frames.hasRemaining()) {
            int idLength = frames.getInt();
            frames.position(frames.position() + idLength);
            byte[] json = new byte[frames.getInt()];
            frames.get(json);
            found.add(json);
        }
        return found;
    }
}
