package dev.synque.monitor.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A test double at the {@link SchemaRegistryClient} port: registers schemas in memory with global
 * ids and enforces BACKWARD compatibility per subject, like a registry's default.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<String, List<Schema>> bySubject = new HashMap<>();
  int calls;

  @Override
  public synchronized int register(String subject, Schema schema) {
    calls++;
    List<Schema> versions = bySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    for (Map.Entry<Integer, Schema> entry : byId.entrySet()) {
      if (entry.getValue().equals(schema) && versions.contains(schema)) {
        return entry.getKey();
      }
    }
    for (Schema earlier : versions) {
      if (SchemaCompatibility.checkReaderWriterCompatibility(schema, earlier).getType()
          != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        throw new SchemaRegistryException(
            SchemaRegistryException.Kind.INCOMPATIBLE,
            409,
            409,
            "Schema being registered is incompatible with an earlier schema for subject '"
                + subject
                + "'",
            null);
      }
    }
    int id = byId.size() + 1;
    byId.put(id, schema);
    versions.add(schema);
    return id;
  }

  @Override
  public synchronized int lookup(String subject, Schema schema) {
    calls++;
    if (bySubject.getOrDefault(subject, List.of()).contains(schema)) {
      for (Map.Entry<Integer, Schema> entry : byId.entrySet()) {
        if (entry.getValue().equals(schema)) {
          return entry.getKey();
        }
      }
    }
    throw new SchemaRegistryException(
        SchemaRegistryException.Kind.NOT_FOUND,
        404,
        40403,
        "Schema not found under subject '" + subject + "'",
        null);
  }

  @Override
  public synchronized Schema schemaById(int id) {
    calls++;
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(
          SchemaRegistryException.Kind.NOT_FOUND, 404, 40403, "Schema " + id + " not found", null);
    }
    return schema;
  }

  @Override
  public String describe() {
    return "in-memory registry";
  }

  synchronized List<String> subjects() {
    return List.copyOf(bySubject.keySet());
  }
}
