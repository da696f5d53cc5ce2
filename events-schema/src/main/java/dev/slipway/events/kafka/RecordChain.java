package dev.slipway.events.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A compare-and-set on a compacted topic. Every record names, in its {@code slipway-based-on} header,
 * the offset of the record of its key that its writer read before writing. A record counts only when
 * that is the key's previous record in the partition (accepted or not); a record written from an older
 * copy is ignored. Every reader reads the partition in the same order, so every reader ignores the same
 * records, and a writer learns whether it won by reading its own record back.
 *
 * <p>Why the previous record and not the previous accepted one: compaction keeps a key's last record,
 * and that may be one that lost. A reader that starts after compaction sees that survivor first and has
 * to take it as it is (it cannot know what it lost against); so the next record, based on the survivor's
 * offset, counts for that reader and for one that read everything alike, and both agree again from there.
 * A writer that lost therefore always writes again (its edit redone, or the value that won restored).
 *
 * <p>A record based on none (a create) counts where the key has no value: a deleted key's tombstone
 * is removed by compaction in time, after which a new reader has never seen the key while an older one
 * holds the tombstone; both must accept the key's next create alike.
 *
 * <p>Records without the header (written before records named their base) count as they are.
 */
public final class RecordChain<V> {

    public static final String BASED_ON = "slipway-based-on";
    private static final String NONE = "none";

    private final Map<String, Link<V>> links = new ConcurrentHashMap<>();
    private final Function<byte[], V> decode;

    /** {@code decode} reads a value that is not a tombstone. */
    public RecordChain(Function<byte[], V> decode) {
        this.decode = decode;
    }

    /**
     * A key as this reader knows it.
     *
     * @param value    what counts now; null when the key has no value (never written, or deleted)
     * @param last     offset of the key's last record read, accepted or not; -1 for none
     * @param diverged the last record lost and holds something other than {@code value}: a reader that
     *                 starts after compaction would take it, so someone has to write {@code value} again
     */
    public record Link<V>(V value, long last, boolean diverged) {

        static <V> Link<V> none() {
            return new Link<>(null, -1, false);
        }
    }

    /** Reads one record (on the reading thread, in partition order); true when it counts. */
    public boolean apply(ConsumerRecord<String, byte[]> record) {
        V value = record.value() == null ? null : decode.apply(record.value());
        Link<V> previous = links.get(record.key());
        OptionalLong basedOn = basedOn(record);
        // the first record of a key read here is the key's first, or what compaction left of it; a record
        // written on no record (a create) counts wherever the key has no value: a reader that saw the
        // key's tombstone and one that started after compaction removed it agree on that
        boolean accepted = previous == null || basedOn.isEmpty() || basedOn.getAsLong() == previous.last()
                || basedOn.getAsLong() == -1 && previous.value() == null;
        if (accepted) {
            links.put(record.key(), new Link<>(value, record.offset(), false));
        } else {
            links.put(record.key(), new Link<>(previous.value(), record.offset(),
                    !Objects.equals(value, previous.value())));
        }
        return accepted;
    }

    public Link<V> link(String key) {
        return links.getOrDefault(key, Link.none());
    }

    public Optional<V> value(String key) {
        return Optional.ofNullable(link(key).value());
    }

    public Stream<V> values() {
        return links.values().stream().map(Link::value).filter(Objects::nonNull);
    }

    /** Keys whose last record lost with another value than the one that counts; see {@link Link#diverged()}. */
    public Stream<String> diverged() {
        return links.entrySet().stream().filter(entry -> entry.getValue().diverged()).map(Map.Entry::getKey);
    }

    /** Marks {@code record} as written after the key's record at {@code last} (-1: after none). */
    public static <K> ProducerRecord<K, byte[]> basedOn(ProducerRecord<K, byte[]> record, long last) {
        record.headers().add(new RecordHeader(BASED_ON,
                (last < 0 ? NONE : Long.toString(last)).getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /** The base a record names; -1 for none; empty when it names none (an older record). */
    static OptionalLong basedOn(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(BASED_ON);
        if (header == null || header.value() == null) {
            return OptionalLong.empty();
        }
        String base = new String(header.value(), StandardCharsets.UTF_8);
        try {
            return OptionalLong.of(base.equals(NONE) ? -1 : Long.parseLong(base));
        } catch (NumberFormatException e) {
            // a base no writer of ours wrote matches no record
            return OptionalLong.of(Long.MIN_VALUE);
        }
    }
}
