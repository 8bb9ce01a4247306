package dev.synque.monitor.stream;

/**
 * The confirmed leader of one ranking (a window kind and a reference version) and, while another
 * generator tops the rankings, that challenger, how many consecutive rankings it has topped and
 * since when. A challenger becomes the leader (and {@code TOP_GENERATOR_CHANGED} fires) once it has
 * topped at least {@code confirmations} consecutive rankings <em>and</em> kept the top for at least
 * {@code minMillis} of event time; a ranking topped by the leader again, or by a third generator,
 * starts both over. Why both: with several generators of nearly equal quality the top rank changes
 * hands on small differences, and an alert on every change pages nobody usefully (a 10-minute soak
 * with 50 generators raised 391 without the count); with many generators three rankings can follow
 * each other within milliseconds, so a count alone still let about 25 alerts a minute through. The
 * time rule bounds the alerts of one ranking to one per {@code minMillis}.
 *
 * <p>Time is the rankings' record timestamps (the event time of the scores ranked), so a replay
 * gives the same alerts whatever its speed.
 *
 * <p>Stored as text in {@value MonitorTopology#LEADER_STORE}, every id length-prefixed (see {@link
 * #encode()}), so no id content can break the parse.
 *
 * @param leader the confirmed leader, null before the first ranking with one
 * @param challenger the generator that topped the latest rankings instead, or null
 * @param count consecutive rankings the challenger has topped; 0 without one
 * @param since event time of the first ranking the challenger topped; 0 without one
 */
record LeaderState(String leader, String challenger, int count, long since) {

  static final LeaderState NONE = new LeaderState(null, null, 0, 0);

  /** Format tag of {@link #encode()}. */
  private static final String TAG = "L2";

  /** What one ranking did: the new state, and the replaced leader when the leader changed. */
  record Step(LeaderState state, String replaced) {}

  /** {@link #next(String, int, long, long)} without the time rule. */
  Step next(String top, int confirmations) {
    return next(top, confirmations, 0, 0);
  }

  /**
   * @param top the ranking's leader, or null when it has none (no eligible generator)
   * @param confirmations consecutive rankings a challenger must top, at least 1
   * @param minMillis event time a challenger must keep the top, at least 0
   * @param time the ranking's event time, epoch milliseconds
   */
  Step next(String top, int confirmations, long minMillis, long time) {
    if (top == null) {
      return new Step(this, null);
    }
    if (leader == null) {
      return new Step(new LeaderState(top, null, 0, 0), null);
    }
    if (top.equals(leader)) {
      return new Step(new LeaderState(leader, null, 0, 0), null);
    }
    boolean same = top.equals(challenger);
    int topped = same ? count + 1 : 1;
    long from = same ? since : time;
    if (topped >= confirmations && time - from >= minMillis) {
      return new Step(new LeaderState(top, null, 0, 0), leader);
    }
    return new Step(new LeaderState(leader, top, topped, from), null);
  }

  /**
   * {@code L2;} then the leader and the challenger, each as {@code -} (null) or {@code
   * <length>:<id>}, then {@code ;<count>;<since>}.
   */
  String encode() {
    return TAG + ';' + id(leader) + id(challenger) + ';' + count + ';' + since;
  }

  private static String id(String id) {
    return id == null ? "-" : id.length() + ":" + id;
  }

  /**
   * Reads {@link #encode()}.
   *
   * @throws IllegalArgumentException for text that is not a stored leader state, naming the fault
   */
  static LeaderState decode(String stored) {
    if (stored == null) {
      return NONE;
    }
    if (!stored.startsWith(TAG + ';')) {
      throw new IllegalArgumentException(
          "a stored leader state does not start with " + TAG + ";: " + abbreviate(stored));
    }
    try {
      int[] at = {TAG.length() + 1};
      String leader = readId(stored, at);
      String challenger = readId(stored, at);
      String[] rest = stored.substring(at[0]).split(";", -1);
      if (rest.length != 3 || !rest[0].isEmpty()) {
        throw new IllegalArgumentException("expected ;<count>;<since> after the ids");
      }
      return new LeaderState(
          leader, challenger, Integer.parseInt(rest[1]), Long.parseLong(rest[2]));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "a stored leader state is malformed (" + e.getMessage() + "): " + abbreviate(stored), e);
    }
  }

  private static String readId(String s, int[] at) {
    if (s.charAt(at[0]) == '-') {
      at[0]++;
      return null;
    }
    int colon = s.indexOf(':', at[0]);
    int n = Integer.parseInt(s.substring(at[0], colon));
    String id = s.substring(colon + 1, colon + 1 + n);
    at[0] = colon + 1 + n;
    return id;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
