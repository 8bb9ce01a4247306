package dev.synque.monitor.stream;

/**
 * The confirmed leader of one window kind's ranking and, while another generator tops the rankings,
 * that challenger and how many consecutive rankings it has topped. A challenger becomes the leader
 * (and {@code TOP_GENERATOR_CHANGED} fires) once it has topped {@code confirmations} consecutive
 * rankings; a ranking topped by the leader again, or by a third generator, starts the count over.
 * Why: with several generators of nearly equal quality the top rank changes hands on small
 * differences, and an alert on every change pages nobody usefully (a 10-minute soak with 50
 * generators raised 391 without this).
 *
 * <p>Stored as text in {@value MonitorTopology#LEADER_STORE}: the leader alone (the format before
 * the challenger was kept, still read), or leader, challenger and count separated by NUL.
 *
 * @param leader the confirmed leader, null before the first ranking with one
 * @param challenger the generator that topped the latest rankings instead, or null
 * @param count consecutive rankings the challenger has topped; 0 without one
 */
record LeaderState(String leader, String challenger, int count) {

  private static final char SEPARATOR = '\0';

  static final LeaderState NONE = new LeaderState(null, null, 0);

  /** What one ranking did: the new state, and the replaced leader when the leader changed. */
  record Step(LeaderState state, String replaced) {}

  /**
   * @param top the ranking's leader, or null when it has none (no eligible generator)
   * @param confirmations consecutive rankings a challenger must top, at least 1
   */
  Step next(String top, int confirmations) {
    if (top == null) {
      return new Step(this, null);
    }
    if (leader == null) {
      return new Step(new LeaderState(top, null, 0), null);
    }
    if (top.equals(leader)) {
      return new Step(new LeaderState(leader, null, 0), null);
    }
    int topped = top.equals(challenger) ? count + 1 : 1;
    if (topped >= confirmations) {
      return new Step(new LeaderState(top, null, 0), leader);
    }
    return new Step(new LeaderState(leader, top, topped), null);
  }

  String encode() {
    return challenger == null ? leader : leader + SEPARATOR + challenger + SEPARATOR + count;
  }

  static LeaderState decode(String stored) {
    if (stored == null) {
      return NONE;
    }
    String[] parts = stored.split(String.valueOf(SEPARATOR), -1);
    if (parts.length == 1) {
      return new LeaderState(stored, null, 0);
    }
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "a stored leader state has " + parts.length + " parts; expected 1 or 3");
    }
    return new LeaderState(parts[0], parts[1], Integer.parseInt(parts[2]));
  }
}
