package dev.synque.monitor.embed;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What ONNX Runtime can run on in this process: its native version, its execution providers (the
 * CUDA provider exists only in the {@code onnxruntime_gpu} build) and the GPUs the CUDA runtime
 * sees.
 *
 * @param engine the DJL engine name, always {@value DjlEmbedder#ENGINE}
 * @param onnxRuntimeVersion version of the native ONNX Runtime library
 * @param providers execution providers compiled into that library
 * @param gpuCount GPUs visible to CUDA; 0 without the CUDA provider or without a GPU
 */
public record OnnxRuntimeDevices(
    String engine, String onnxRuntimeVersion, Set<OrtProvider> providers, int gpuCount) {

  public OnnxRuntimeDevices {
    providers = Set.copyOf(providers);
  }

  /** Asks ONNX Runtime (and, only when it has the CUDA provider, the CUDA runtime). */
  public static OnnxRuntimeDevices detect() {
    Engine.getEngine(DjlEmbedder.ENGINE); // loads the native library the DJL way
    EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
    int gpus = providers.contains(OrtProvider.CUDA) ? Math.max(0, CudaUtils.getGpuCount()) : 0;
    return new OnnxRuntimeDevices(
        DjlEmbedder.ENGINE, OrtEnvironment.getEnvironment().getVersion(), providers, gpus);
  }

  /**
   * The device for a preference: {@code gpu(0)} for AUTO when a GPU is usable, else the CPU.
   *
   * @throws org.apache.kafka.common.config.ConfigException keyed {@link EmbedderSettings#DEVICE}
   *     when a GPU is required and none is usable
   */
  public Device choose(DevicePreference preference) {
    return switch (preference) {
      case CPU -> Device.cpu();
      case AUTO -> gpuCount > 0 ? Device.gpu(0) : Device.cpu();
      case GPU -> {
        if (gpuCount == 0) {
          throw new org.apache.kafka.common.config.ConfigException(
              EmbedderSettings.DEVICE,
              "gpu",
              "no usable GPU: ONNX Runtime "
                  + onnxRuntimeVersion
                  + " has providers "
                  + describeProviders()
                  + (providers.contains(OrtProvider.CUDA)
                      ? " but CUDA sees no GPU"
                      : "; build with -Ponnxruntime_gpu on a host with CUDA 12 and cuDNN 9"));
        }
        yield Device.gpu(0);
      }
    };
  }

  /** The providers as a sorted, comma-separated list. */
  public String describeProviders() {
    return providers.stream().map(OrtProvider::getName).sorted().collect(Collectors.joining(", "));
  }
}
