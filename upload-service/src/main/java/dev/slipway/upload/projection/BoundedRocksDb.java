package dev.slipway.upload.projection;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the native memory of every store of the process by one shared block cache that also
 * accounts for the write buffers: RocksDB's defaults (a 50 MB cache and up to three 16 MB memtables
 * per store and partition) would grow with the partitions a replica holds.
 */
public class BoundedRocksDb implements RocksDBConfigSetter {

    /** Block cache shared by all stores, write buffers included. */
    static final long CACHE_BYTES = 16L * 1024 * 1024;
    /** Of the cache, what memtables of all stores may take together. */
    static final long WRITE_BUFFER_BYTES = 8L * 1024 * 1024;
    /** One memtable; two per store at most. */
    static final long MEMTABLE_BYTES = 2L * 1024 * 1024;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    private static synchronized void init() {
        if (cache == null) {
            RocksDB.loadLibrary();
            cache = new LRUCache(CACHE_BYTES, -1, false, 0.1);
            writeBuffers = new WriteBufferManager(WRITE_BUFFER_BYTES, cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        init();
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBuffers);
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    /** The cache and write buffer manager are shared for the life of the process: nothing to close per store. */
    @Override
    public void close(String storeName, Options options) {
    }
}
