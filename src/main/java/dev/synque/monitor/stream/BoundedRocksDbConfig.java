package dev.synque.monitor.stream;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB store of the process: one block cache shared by all stores
 * ({@value #BLOCK_CACHE_BYTES}), which also holds the index and filter blocks, and one write-buffer
 * manager ({@value #WRITE_BUFFER_BYTES}) that charges every store's memtables to that same cache.
 * Without it each of the some 70 stores of an instance (about six per task, twelve tasks) takes
 * Kafka Streams' defaults, a 50 MB block cache and up to three 16 MB memtables each, with no bound
 * on the total. With it, RocksDB's memory is about the block cache size (plus iterators and
 * compaction buffers, which RocksDB does not charge to the cache); see docs/deployment.md for the
 * arithmetic of a pod's memory.
 *
 * <p>Configured with {@code synque.rocksdb.*} keys in the monitor's file, which {@link
 * MonitorStreamsConfig} passes to Kafka Streams, whose stores hand them to {@link #setConfig}. The
 * cache and the manager are shared by every store with the same sizes in this JVM and never closed
 * by a store (they live as long as the process). Thread-safe.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

  /** Bytes of the block cache shared by every store, memtables included. */
  public static final String BLOCK_CACHE_BYTES = "synque.rocksdb.block.cache.bytes";

  /** Bytes of memtables of all stores together, charged to the block cache. */
  public static final String WRITE_BUFFER_BYTES = "synque.rocksdb.write.buffer.bytes";

  /** Default shared block cache: 512 MiB. */
  public static final long DEFAULT_BLOCK_CACHE_BYTES = 512L * 1024 * 1024;

  /** Default memtable budget: 128 MiB, inside the block cache. */
  public static final long DEFAULT_WRITE_BUFFER_BYTES = 128L * 1024 * 1024;

  /** Size of one memtable: a window state is a few megabytes, so a memtable holds a few. */
  static final long MEMTABLE_BYTES = 16L * 1024 * 1024;

  /** Share of the cache kept for index and filter blocks (high priority). */
  static final double INDEX_FILTER_RATIO = 0.1;

  private static final Map<Sizes, Shared> SHARED = new HashMap<>();

  /**
   * The memory budget.
   *
   * @param blockCacheBytes shared block cache, at least 16 MiB
   * @param writeBufferBytes memtables of all stores, above 0 and at most half the block cache (the
   *     rest holds data, index and filter blocks)
   */
  public record Sizes(long blockCacheBytes, long writeBufferBytes) {
    public Sizes {
      if (blockCacheBytes < 16L * 1024 * 1024) {
        throw new ConfigException(
            BLOCK_CACHE_BYTES, blockCacheBytes, "must be at least 16777216 (16 MiB)");
      }
      if (writeBufferBytes <= 0 || writeBufferBytes > blockCacheBytes / 2) {
        throw new ConfigException(
            WRITE_BUFFER_BYTES,
            writeBufferBytes,
            "must be above 0 and at most half of "
                + BLOCK_CACHE_BYTES
                + " ("
                + blockCacheBytes / 2
                + "): memtables are charged to the block cache");
      }
    }

    /**
     * The sizes in a configuration ({@code synque.rocksdb.*} keys; defaults where absent).
     *
     * @throws ConfigException naming the key when a value is not a whole number or breaks a rule
     */
    public static Sizes fromConfig(Map<?, ?> config) {
      return new Sizes(
          bytes(config, BLOCK_CACHE_BYTES, DEFAULT_BLOCK_CACHE_BYTES),
          bytes(config, WRITE_BUFFER_BYTES, DEFAULT_WRITE_BUFFER_BYTES));
    }

    private static long bytes(Map<?, ?> config, String key, long fallback) {
      Object value = config.get(key);
      if (value == null) {
        return fallback;
      }
      try {
        return Long.parseLong(value.toString().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key, value, "must be a whole number of bytes");
      }
    }
  }

  /** The cache and write-buffer manager of one size, shared by every store. */
  record Shared(Cache cache, WriteBufferManager writeBuffers) {}

  /** The shared cache and manager for {@code sizes}, made on first use. */
  static synchronized Shared shared(Sizes sizes) {
    RocksDB.loadLibrary(); // loaded by Kafka Streams already; idempotent
    return SHARED.computeIfAbsent(
        sizes,
        s -> {
          Cache cache = new LRUCache(s.blockCacheBytes(), -1, false, INDEX_FILTER_RATIO);
          // allowStall: writes wait for flushes once the budget is spent, so it is a bound, not a
          // hint.
          return new Shared(cache, new WriteBufferManager(s.writeBufferBytes(), cache, true));
        });
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Shared shared = shared(Sizes.fromConfig(configs));
    // Kafka Streams hands over its own BlockBasedTableConfig; a bare Options has none yet.
    BlockBasedTableConfig table =
        options.tableFormatConfig() instanceof BlockBasedTableConfig given
            ? given
            : new BlockBasedTableConfig();
    table.setBlockCache(shared.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(shared.writeBuffers());
    options.setWriteBufferSize(MEMTABLE_BYTES);
    options.setMaxWriteBufferNumber(2);
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the manager are shared by every store and outlive each of them.
  }
}
