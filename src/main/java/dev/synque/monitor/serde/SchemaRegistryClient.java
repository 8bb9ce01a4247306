package dev.synque.monitor.serde;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API the serde needs. Implementations are
 * thread-safe and cache what they can: ids and schemas never change once assigned.
 */
public interface SchemaRegistryClient {

  /**
   * Registers a schema under a subject ({@code POST /subjects/{subject}/versions}); registering a
   * schema that is already there returns its existing id.
   *
   * @return the schema's global id
   * @throws SchemaRegistryException if the registry is unreachable or rejects the schema
   */
  int register(String subject, Schema schema);

  /**
   * Finds the id of a schema already registered under a subject ({@code POST /subjects/{subject}}).
   *
   * @return the schema's global id
   * @throws SchemaRegistryException if the registry is unreachable or does not know the schema
   */
  int lookup(String subject, Schema schema);

  /**
   * Fetches a schema by its global id ({@code GET /schemas/ids/{id}}).
   *
   * @throws SchemaRegistryException if the registry is unreachable or does not know the id
   */
  Schema schemaById(int id);

  /** A description of where the registry is, for error messages; never contains credentials. */
  String describe();
}
