package dev.slipway.upload.projection;

import dev.slipway.events.Topics;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the read models have taken in the event log as it was when the service started: the
 * application's committed offsets have passed the log's end of then, and after that the ends its
 * internal (by push, by app) topics had at that moment. Once true it stays true, as for the topic
 * followers: later records are news, not history.
 */
class CatchUp {

    private static final long TIMEOUT_MS = 5_000;

    private final Admin admin;
    private final String groupId;
    private final Map<TopicPartition, Long> logEnds;
    private Map<TopicPartition, Long> internalEnds;
    private volatile boolean done;

    private CatchUp(Admin admin, String groupId, Map<TopicPartition, Long> logEnds) {
        this.admin = admin;
        this.groupId = groupId;
        this.logEnds = logEnds;
    }

    static CatchUp fromLogEnd(Admin admin, String groupId) {
        try {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).get(Topics.EVENTS).partitions().stream()
                    .map(info -> new TopicPartition(Topics.EVENTS, info.partition())).toList();
            return new CatchUp(admin, groupId, ends(admin, partitions));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end of " + Topics.EVENTS + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the end of " + Topics.EVENTS, e);
        }
    }

    /** Asks the broker (a few calls) until it is true; false while the broker does not answer. */
    synchronized boolean done() {
        if (done) {
            return true;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (internalEnds == null) {
                if (!passed(committed, logEnds)) {
                    return false;
                }
                internalEnds = ends(admin, internalPartitions());
            }
            done = passed(committed, internalEnds);
            return done;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean passed(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> end.getValue() == 0 || (committed.get(end.getKey()) != null
                && committed.get(end.getKey()).offset() >= end.getValue()));
    }

    private Collection<TopicPartition> internalPartitions()
            throws ExecutionException, InterruptedException, TimeoutException {
        List<String> topics = admin.listTopics().names().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).stream()
                .filter(name -> name.startsWith(groupId + "-") && name.endsWith("-repartition")).toList();
        if (topics.isEmpty()) {
            return List.of();
        }
        return admin.describeTopics(topics).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).values().stream()
                .flatMap(topic -> topic.partitions().stream()
                        .map(info -> new TopicPartition(topic.name(), info.partition())))
                .toList();
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Collection<TopicPartition> partitions)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }
}
