package dev.synque.monitor.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the JSON fixtures written by the scripts in {@code src/test/python/}. */
final class LearnerFixtures {

  private LearnerFixtures() {}

  static JsonNode load(String file) {
    return load("learners", file);
  }

  /** A fixture under {@code src/test/resources/fixtures/<directory>/}. */
  static JsonNode load(String directory, String file) {
    String path = "/fixtures/" + directory + "/" + file;
    try (InputStream in = LearnerFixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + path);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double[][] matrix(JsonNode node) {
    double[][] rows = new double[node.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = vector(node.get(i));
    }
    return rows;
  }

  static double[] vector(JsonNode node) {
    double[] v = new double[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).asDouble();
    }
    return v;
  }

  static int[] indices(JsonNode node) {
    int[] v = new int[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).asInt();
    }
    return v;
  }
}
