package dev.synque.monitor.embed;

import java.util.Locale;

/** Where the model runs. */
public enum DevicePreference {
  /** The first GPU when ONNX Runtime has the CUDA provider and sees a GPU, the CPU otherwise. */
  AUTO,
  /** Always the CPU. */
  CPU,
  /** The first GPU; loading fails when none is usable. */
  GPU;

  /**
   * Parses {@code auto}, {@code cpu} or {@code gpu}, case-insensitively.
   *
   * @throws IllegalArgumentException naming the value and the choices
   */
  public static DevicePreference parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "device '" + value + "' is not supported; choose auto, cpu or gpu");
    }
  }
}
