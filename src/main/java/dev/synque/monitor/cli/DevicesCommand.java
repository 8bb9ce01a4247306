package dev.synque.monitor.cli;

import dev.synque.monitor.embed.DevicePreference;
import dev.synque.monitor.embed.OnnxRuntimeDevices;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synque devices}: what the embedding engine can run on here. */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = {
      "Print the embedding engine's view of this host: ONNX Runtime version, execution providers,"
          + " GPUs, and the device --device auto picks.",
      "With --require-gpu, exit 1 unless a GPU is usable (a one-line check for GPU hosts)."
    })
final class DevicesCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--require-gpu", description = "Exit 1 when no GPU is usable.")
  boolean requireGpu;

  @Override
  public Integer call() {
    OnnxRuntimeDevices devices = OnnxRuntimeDevices.detect();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("engine        %s (DJL)%n", devices.engine());
    out.printf("onnxruntime   %s%n", devices.onnxRuntimeVersion());
    out.printf("providers     %s%n", devices.describeProviders());
    out.printf("gpus          %d%n", devices.gpuCount());
    out.printf("auto device   %s%n", devices.choose(DevicePreference.AUTO));
    out.flush();
    if (requireGpu && devices.gpuCount() == 0) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "synque: no usable GPU (needs the -Ponnxruntime_gpu build, CUDA 12.x, cuDNN 9.x and an"
              + " NVIDIA driver)");
      err.flush();
      return 1;
    }
    return 0;
  }
}
