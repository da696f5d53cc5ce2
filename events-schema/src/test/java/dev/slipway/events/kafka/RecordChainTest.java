package dev.slipway.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The compare-and-set rule, read over whole logs and over what compaction leaves of them. */
class RecordChainTest {

    private static final String KEY = "ns/app";

    @Test
    void aRecordCountsOnlyWhenItFollowsTheRecordItWasComputedFrom() {
        RecordChain<String> chain = chain();
        assertThat(chain.apply(record(0, "created", -1))).isTrue();
        assertThat(chain.apply(record(1, "first change", 0))).isTrue();
        assertThat(chain.apply(record(2, "from a stale copy", 0))).isFalse();
        assertThat(chain.value(KEY)).hasValue("first change");
        assertThat(chain.link(KEY).diverged()).isTrue();
        assertThat(chain.diverged()).containsExactly(KEY);
        // the next writer reads the last record's offset: its change counts and nothing diverges any more
        assertThat(chain.link(KEY).last()).isEqualTo(2);
        assertThat(chain.apply(record(3, "redone", 2))).isTrue();
        assertThat(chain.value(KEY)).hasValue("redone");
        assertThat(chain.diverged()).isEmpty();
    }

    @Test
    void aSecondCreateAndAChangeAfterADeletionLose() {
        RecordChain<String> chain = chain();
        chain.apply(record(0, "mine", -1));
        assertThat(chain.apply(record(1, "theirs", -1))).isFalse();
        assertThat(chain.apply(tombstone(2, 1))).isTrue();
        assertThat(chain.apply(record(3, "changed from before the deletion", 1))).isFalse();
        assertThat(chain.value(KEY)).isEmpty();
        assertThat(chain.apply(record(4, "created again", 3))).isTrue();
        assertThat(chain.value(KEY)).hasValue("created again");
    }

    @Test
    void aCreateAfterTheDeletionsTombstoneWasCompactedAwayCountsForOldAndNewReadersAlike() {
        RecordChain<String> old = chain();
        old.apply(record(0, "first life", -1));
        old.apply(tombstone(1, 0));
        // the tombstone's retention passed: a reader that starts now never sees the key, so its replica
        // creates the app again on no record
        RecordChain<String> fresh = chain();
        ConsumerRecord<String, byte[]> createdAgain = record(2, "second life", -1);

        assertThat(old.apply(createdAgain)).isTrue();
        assertThat(fresh.apply(createdAgain)).isTrue();
        assertThat(old.value(KEY)).isEqualTo(fresh.value(KEY)).hasValue("second life");
        assertThat(old.diverged()).isEmpty();
        // a second create on no record still loses, for both
        ConsumerRecord<String, byte[]> secondCreate = record(3, "twin", -1);
        assertThat(old.apply(secondCreate)).isFalse();
        assertThat(fresh.apply(secondCreate)).isFalse();
        assertThat(old.link(KEY)).isEqualTo(fresh.link(KEY));
    }

    @Test
    void aReaderOfTheCompactedLogAgreesFromTheRecordAfterTheSurvivor() {
        List<ConsumerRecord<String, byte[]>> log = List.of(record(0, "created", -1), record(1, "won", 0),
                record(2, "lost", 0), record(3, "restored", 2));
        RecordChain<String> whole = chain();
        log.forEach(whole::apply);
        // compaction left the losing record alone before the restore came
        RecordChain<String> compacted = chain();
        assertThat(compacted.apply(log.get(2))).isTrue();
        assertThat(compacted.value(KEY)).hasValue("lost");
        assertThat(compacted.apply(log.get(3))).isTrue();
        assertThat(compacted.value(KEY)).isEqualTo(whole.value(KEY)).hasValue("restored");
        assertThat(compacted.link(KEY)).isEqualTo(whole.link(KEY));
    }

    @Test
    void recordsWithoutABaseCountAsTheyAreAndForgedBasesMatchNothing() {
        RecordChain<String> chain = chain();
        assertThat(chain.apply(new ConsumerRecord<>("t", 0, 0, KEY, bytes("old")))).isTrue();
        assertThat(chain.apply(new ConsumerRecord<>("t", 0, 1, KEY, bytes("old too")))).isTrue();
        ConsumerRecord<String, byte[]> forged = new ConsumerRecord<>("t", 0, 2, KEY, bytes("forged"));
        forged.headers().add(RecordChain.BASED_ON, "1; drop".getBytes(StandardCharsets.UTF_8));
        assertThat(chain.apply(forged)).isFalse();
        assertThat(chain.value(KEY)).hasValue("old too");
    }

    @Test
    void aWriterNamesTheBaseItRead() {
        ProducerRecord<String, byte[]> first = RecordChain.basedOn(new ProducerRecord<>("t", KEY, bytes("x")), -1);
        ProducerRecord<String, byte[]> next = RecordChain.basedOn(new ProducerRecord<>("t", KEY, bytes("y")), 41);
        assertThat(new String(first.headers().lastHeader(RecordChain.BASED_ON).value(), StandardCharsets.UTF_8))
                .isEqualTo("none");
        assertThat(new String(next.headers().lastHeader(RecordChain.BASED_ON).value(), StandardCharsets.UTF_8))
                .isEqualTo("41");
    }

    private static RecordChain<String> chain() {
        return new RecordChain<>(value -> new String(value, StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String value, long basedOn) {
        return withBase(offset, bytes(value), basedOn);
    }

    private static ConsumerRecord<String, byte[]> tombstone(long offset, long basedOn) {
        return withBase(offset, null, basedOn);
    }

    private static ConsumerRecord<String, byte[]> withBase(long offset, byte[] value, long basedOn) {
        ProducerRecord<String, byte[]> written = RecordChain.basedOn(new ProducerRecord<>("t", KEY, value), basedOn);
        return new ConsumerRecord<>("t", 0, offset, 0L, TimestampType.CREATE_TIME, -1, -1, KEY, value,
                new RecordHeaders(written.headers().toArray()), Optional.empty());
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
