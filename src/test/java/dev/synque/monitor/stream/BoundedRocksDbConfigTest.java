package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

class BoundedRocksDbConfigTest {

  private static final long MIB = 1024L * 1024;

  @TempDir Path dir;

  private static Map<String, Object> sizes(long cache, long writeBuffers) {
    Map<String, Object> config = new HashMap<>();
    config.put(BoundedRocksDbConfig.BLOCK_CACHE_BYTES, Long.toString(cache));
    config.put(BoundedRocksDbConfig.WRITE_BUFFER_BYTES, Long.toString(writeBuffers));
    return config;
  }

  @Test
  void shouldShareOneCacheAndOneWriteBufferManagerAcrossStores() {
    Map<String, Object> config = sizes(64 * MIB, 16 * MIB);
    try (Options first = new Options();
        Options second = new Options()) {
      BoundedRocksDbConfig setter = new BoundedRocksDbConfig();

      setter.setConfig("window-state-store", first, config);
      setter.setConfig("drift-store", second, config);

      BoundedRocksDbConfig.Shared shared =
          BoundedRocksDbConfig.shared(BoundedRocksDbConfig.Sizes.fromConfig(config));
      assertThat(first.writeBufferManager()).isSameAs(shared.writeBuffers());
      assertThat(second.writeBufferManager()).isSameAs(shared.writeBuffers());
      assertThat(first.writeBufferSize()).isEqualTo(BoundedRocksDbConfig.MEMTABLE_BYTES);
      assertThat(first.maxWriteBufferNumber()).isEqualTo(2);
      BlockBasedTableConfig table = (BlockBasedTableConfig) first.tableFormatConfig();
      assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
      assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
    }
  }

  @Test
  void shouldChargeEveryStoresMemtablesAndBlocksToTheOneCache() throws Exception {
    Map<String, Object> config = sizes(32 * MIB, 8 * MIB);
    BoundedRocksDbConfig.Shared shared =
        BoundedRocksDbConfig.shared(BoundedRocksDbConfig.Sizes.fromConfig(config));
    long before = shared.cache().getUsage();
    byte[] value = new byte[64 * 1024];
    try (Options a = new Options().setCreateIfMissing(true);
        Options b = new Options().setCreateIfMissing(true)) {
      new BoundedRocksDbConfig().setConfig("a", a, config);
      new BoundedRocksDbConfig().setConfig("b", b, config);
      try (RocksDB first = RocksDB.open(a, dir.resolve("a").toString());
          RocksDB second = RocksDB.open(b, dir.resolve("b").toString());
          WriteOptions write = new WriteOptions()) {
        for (int i = 0; i < 200; i++) {
          first.put(write, ("k" + i).getBytes(), value);
          second.put(write, ("k" + i).getBytes(), value);
        }
        long written = shared.cache().getUsage() - before;
        long memtables =
            first.getLongProperty("rocksdb.cur-size-all-mem-tables")
                + second.getLongProperty("rocksdb.cur-size-all-mem-tables");
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
          first.flush(flush);
          second.flush(flush);
        }
        for (int i = 0; i < 200; i++) {
          first.get(("k" + i).getBytes());
          second.get(("k" + i).getBytes());
        }

        // 2 x 200 x 64 KiB = 25 MiB written: the memtables are charged to the block cache and
        // flushed at the write-buffer budget (8 MiB); reads fill the same cache, up to 32 MiB.
        assertThat(written).as("memtables charged to the block cache").isGreaterThan(MIB);
        assertThat(memtables).as("memtables bounded by the budget").isLessThanOrEqualTo(9 * MIB);
        assertThat(shared.cache().getUsage()).isLessThanOrEqualTo(32 * MIB + 2 * MIB);
      }
    }
  }

  @Test
  void shouldRejectAWriteBufferBudgetAboveHalfTheCacheNamingTheKey() {
    assertThatThrownBy(() -> BoundedRocksDbConfig.Sizes.fromConfig(sizes(64 * MIB, 40 * MIB)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(BoundedRocksDbConfig.WRITE_BUFFER_BYTES)
        .hasMessageContaining(Long.toString(40 * MIB))
        .hasMessageContaining("at most half");
    assertThatThrownBy(
            () ->
                BoundedRocksDbConfig.Sizes.fromConfig(
                    Map.of(BoundedRocksDbConfig.BLOCK_CACHE_BYTES, "lots")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(BoundedRocksDbConfig.BLOCK_CACHE_BYTES)
        .hasMessageContaining("lots");
  }

  @Test
  void shouldBeTheMonitorsDefaultSetterAndPassItsKeysToKafkaStreams() {
    Map<String, Object> config = new HashMap<>(sizes(256 * MIB, 64 * MIB));
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    config.put("synque.window.size.ms", "1000");

    Properties props = MonitorStreamsConfig.from(config);

    assertThat(props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
        .isEqualTo(BoundedRocksDbConfig.class);
    assertThat(props)
        .containsEntry(BoundedRocksDbConfig.BLOCK_CACHE_BYTES, Long.toString(256 * MIB))
        .doesNotContainKey("synque.window.size.ms");
    config.put(BoundedRocksDbConfig.WRITE_BUFFER_BYTES, "0");
    assertThatThrownBy(() -> MonitorStreamsConfig.from(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(BoundedRocksDbConfig.WRITE_BUFFER_BYTES);
  }
}
