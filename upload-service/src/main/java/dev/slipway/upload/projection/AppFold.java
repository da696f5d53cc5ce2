package dev.slipway.upload.projection;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Folds the new states of an app's pushes (keyed by app) into its {@link AppPushes}. */
class AppFold implements Processor<String, byte[], String, byte[]> {

    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> apps;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        apps = context.getStateStore(ProjectionTopology.APP_FOLD);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        AppPushes next = StoredJson.appPushes(apps.get(record.key())).with(StoredJson.state(record.value()));
        byte[] value = StoredJson.appPushes(next);
        apps.put(record.key(), value);
        context.forward(record.withValue(value));
    }
}
