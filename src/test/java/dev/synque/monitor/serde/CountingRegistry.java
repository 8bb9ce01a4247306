package dev.synque.monitor.serde;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** Counts the calls that reach a registry client, to show what the caches save. */
final class CountingRegistry implements SchemaRegistryClient {
  private final SchemaRegistryClient delegate;
  private final AtomicInteger registrations = new AtomicInteger();
  private final AtomicInteger fetches = new AtomicInteger();

  CountingRegistry(SchemaRegistryClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public int register(String subject, Schema schema) {
    registrations.incrementAndGet();
    return delegate.register(subject, schema);
  }

  @Override
  public int lookup(String subject, Schema schema) {
    registrations.incrementAndGet();
    return delegate.lookup(subject, schema);
  }

  @Override
  public Schema schemaById(int id) {
    fetches.incrementAndGet();
    return delegate.schemaById(id);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  int registrations() {
    return registrations.get();
  }

  int fetches() {
    return fetches.get();
  }
}
