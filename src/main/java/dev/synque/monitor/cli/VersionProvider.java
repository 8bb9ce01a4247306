package dev.synque.monitor.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest, so {@code --version} never drifts from the build. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = SynqueCommand.class.getPackage().getImplementationVersion();
    return new String[] {"synque " + (version == null ? "(development build)" : version)};
  }
}
