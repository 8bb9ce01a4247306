/**
 * Avro serialisation on the Confluent Schema Registry wire protocol (magic byte, schema id, Avro
 * binary), with a registry client for the Confluent REST API, so records interoperate with
 * Confluent Schema Registry, Apicurio (ccompat), Karapace and Redpanda.
 */
package dev.synque.monitor.serde;
