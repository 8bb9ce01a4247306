package dev.synque.monitor.evaluate;

/** Where a long evaluation reports how far it is; called from one thread at a time. */
@FunctionalInterface
public interface Progress {

  /**
   * @param stage what is running ("embedding", "proxies")
   * @param done units finished in this stage
   * @param total units in this stage
   * @param detail the current item (a file or a cell), for display
   */
  void update(String stage, int done, int total, String detail);

  /** Reports nothing. */
  Progress NONE = (stage, done, total, detail) -> {};
}
