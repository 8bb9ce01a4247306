package dev.synque.monitor.lens;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.synque.monitor.chat.ChatMessage;
import java.util.List;

/**
 * The prompt texts of LENS (our own wording of the SynQuE authors' method). The judge is never told
 * which set is real: it sees two datasets, A and B, described by the rubric, and is asked whether
 * an example comes from one of them.
 *
 * <p><b>Rubric</b> (three calls, each a system message with the task and format, and a user message
 * with the examples as JSON arrays):
 *
 * <ol>
 *   <li>similarities: A = real sample, B = synthetic sample; "list N traits A and B share";
 *   <li>differences: A = real, B = synthetic, shared traits given; "list N ways B differs from A"
 *       (synthetic differs from real);
 *   <li>differences with the sets swapped: A = synthetic, B = real (real differs from synthetic).
 * </ol>
 *
 * <p><b>Judge</b> (four calls per example): the system message states the task and the answer
 * format {@code {"judgement": "<label>"}}; the user message lists the shared traits, then how B
 * differs from A, then the example, then the question "how likely is it that this example comes
 * from dataset X?".
 *
 * <ul>
 *   <li>synthetic set at position B: the differences are "synthetic differs from real"; "real?"
 *       asks about A, "synthetic?" about B;
 *   <li>synthetic set at position A: the differences are "real differs from synthetic" (B = real);
 *       "real?" asks about B, "synthetic?" about A.
 * </ul>
 *
 * <p>A malformed answer is shown back to the model with the reason and a stricter instruction.
 */
final class LensPrompts {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Marker of the similarities prompt (also lets a test double tell the prompts apart). */
  static final String SIMILARITIES_TASK =
      "Task: list the characteristics that datasets A and B share.";

  /** Marker of the differences prompt. */
  static final String DIFFERENCES_TASK =
      "Task: list how the examples of dataset B differ from those of dataset A.";

  /** Marker of the judge prompt. */
  static final String JUDGE_TASK = "Task: judge which dataset one example comes from.";

  private LensPrompts() {}

  static List<ChatMessage> similarities(List<String> a, List<String> b, int n) {
    String system =
        SIMILARITIES_TASK
            + "\nYou are given examples from two datasets of texts, A and B. Name exactly "
            + n
            + " characteristics that the examples of A and the examples of B have in common:"
            + " for instance topic, purpose, length, structure, style, tone, vocabulary or"
            + " formatting. Each item is one short, self-contained sentence.\n"
            + listFormat(n);
    return List.of(ChatMessage.system(system), ChatMessage.user(samples(a, b)));
  }

  static List<ChatMessage> differences(
      List<String> a, List<String> b, List<String> similarities, int n) {
    String system =
        DIFFERENCES_TASK
            + "\nYou are given examples from two datasets of texts, A and B, and the"
            + " characteristics they share. Name exactly "
            + n
            + " ways in which the examples of B differ from the examples of A, beyond the shared"
            + " characteristics. Each item is one short sentence saying how B differs from A.\n"
            + listFormat(n);
    String user = "Shared characteristics:\n" + bullets(similarities) + "\n\n" + samples(a, b);
    return List.of(ChatMessage.system(system), ChatMessage.user(user));
  }

  /**
   * One judge question.
   *
   * @param similarities the rubric's shared traits
   * @param bDiffersFromA how B differs from A, for the chosen position
   * @param example the text to judge
   * @param dataset "A" or "B": the dataset the question is about
   */
  static List<ChatMessage> judge(
      List<String> similarities, List<String> bDiffersFromA, String example, String dataset) {
    String system =
        JUDGE_TASK
            + "\nTwo datasets of texts, A and B, are described by what they share and by how B"
            + " differs from A. Read the example and decide how likely it is that it was drawn"
            + " from the dataset named in the question.\n"
            + "Answer with only a JSON object of the form {\"judgement\": \"<label>\"}, where"
            + " <label> is one of \"very unlikely\", \"unlikely\", \"unsure\", \"likely\","
            + " \"very likely\". No explanation.";
    String user =
        "What datasets A and B share:\n"
            + bullets(similarities)
            + "\n\nHow dataset B differs from dataset A:\n"
            + bullets(bDiffersFromA)
            + "\n\nExample:\n"
            + example
            + "\n\nQuestion: how likely is it that this example comes from dataset "
            + dataset
            + "?";
    return List.of(ChatMessage.system(system), ChatMessage.user(user));
  }

  /** The conversation again, with the malformed answer and a stricter instruction appended. */
  static List<ChatMessage> stricter(
      List<ChatMessage> asked, String answer, String why, String format) {
    List<ChatMessage> again = new java.util.ArrayList<>(asked);
    again.add(ChatMessage.assistant(answer));
    again.add(
        ChatMessage.user(
            "Your answer could not be used: "
                + why
                + ". Reply again with only "
                + format
                + ". No explanation, no other text."));
    return List.copyOf(again);
  }

  static String listFormatShort(int n) {
    return "a JSON array of exactly " + n + " strings";
  }

  static final String JUDGE_FORMAT_SHORT =
      "a JSON object {\"judgement\": \"<label>\"} with one of the five labels";

  private static String listFormat(int n) {
    return "Answer with only a JSON array of exactly "
        + n
        + " strings, like [\"...\", \"...\"]. No numbering, no explanation.";
  }

  private static String samples(List<String> a, List<String> b) {
    return "Examples from dataset A:\n"
        + jsonArray(a)
        + "\n\nExamples from dataset B:\n"
        + jsonArray(b);
  }

  private static String jsonArray(List<String> texts) {
    ArrayNode array = JSON.createArrayNode();
    texts.forEach(array::add);
    return array.toString();
  }

  private static String bullets(List<String> items) {
    StringBuilder sb = new StringBuilder();
    for (String item : items) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append("- ").append(item);
    }
    return sb.toString();
  }
}
