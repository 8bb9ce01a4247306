package dev.synque.monitor.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent, plain-Java BERT tokenizer (uncased: clean text, split CJK, lowercase, strip
 * accents, split on whitespace and punctuation, greedy longest-match WordPiece with {@code ##}
 * continuations, {@code [CLS] ... [SEP]}), written from the BERT reference algorithm without the
 * HuggingFace library, so the reference embeddings do not share the adapter's tokenizer. Only the
 * vocabulary is read from {@code tokenizer.json}.
 */
final class ReferenceWordPiece {

  private final Map<String, Long> vocab = new HashMap<>();
  private final long unk;
  private final long cls;
  private final long sep;

  ReferenceWordPiece(InputStream tokenizerJson) throws IOException {
    JsonNode root = new ObjectMapper().readTree(tokenizerJson);
    root.path("model")
        .path("vocab")
        .fields()
        .forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asLong()));
    unk = vocab.get("[UNK]");
    cls = vocab.get("[CLS]");
    sep = vocab.get("[SEP]");
  }

  /** Token ids with [CLS] and [SEP], cut to {@code maxLength} ids in all. */
  long[] encode(String text, int maxLength) {
    List<Long> ids = new ArrayList<>();
    for (String word : basicTokens(text)) {
      ids.addAll(wordPiece(word));
    }
    int keep = Math.min(ids.size(), maxLength - 2);
    long[] out = new long[keep + 2];
    out[0] = cls;
    for (int i = 0; i < keep; i++) {
      out[i + 1] = ids.get(i);
    }
    out[keep + 1] = sep;
    return out;
  }

  private List<String> basicTokens(String text) {
    StringBuilder cleaned = new StringBuilder();
    text.codePoints()
        .forEach(
            cp -> {
              if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
              }
              if (isWhitespace(cp)) {
                cleaned.append(' ');
              } else if (isCjk(cp)) {
                cleaned.append(' ').appendCodePoint(cp).append(' ');
              } else {
                cleaned.appendCodePoint(cp);
              }
            });
    String lowered = cleaned.toString().toLowerCase(java.util.Locale.ROOT);
    String stripped =
        Normalizer.normalize(lowered, Normalizer.Form.NFD)
            .codePoints()
            .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    List<String> tokens = new ArrayList<>();
    for (String word : stripped.trim().split(" +")) {
      StringBuilder current = new StringBuilder();
      word.codePoints()
          .forEach(
              cp -> {
                if (isPunctuation(cp)) {
                  if (current.length() > 0) {
                    tokens.add(current.toString());
                    current.setLength(0);
                  }
                  tokens.add(new String(Character.toChars(cp)));
                } else {
                  current.appendCodePoint(cp);
                }
              });
      if (current.length() > 0) {
        tokens.add(current.toString());
      }
    }
    return tokens;
  }

  private List<Long> wordPiece(String word) {
    if (word.codePointCount(0, word.length()) > 100) {
      return List.of(unk);
    }
    List<Long> pieces = new ArrayList<>();
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      Long found = null;
      while (start < end) {
        String piece = (start > 0 ? "##" : "") + word.substring(start, end);
        found = vocab.get(piece);
        if (found != null) {
          break;
        }
        end = word.offsetByCodePoints(end, -1);
      }
      if (found == null) {
        return List.of(unk);
      }
      pieces.add(found);
      start = end;
    }
    return pieces;
  }

  private static boolean isWhitespace(int cp) {
    return cp == ' '
        || cp == '\t'
        || cp == '\n'
        || cp == '\r'
        || Character.getType(cp) == Character.SPACE_SEPARATOR;
  }

  private static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT;
  }

  private static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47)
        || (cp >= 58 && cp <= 64)
        || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }

  private static boolean isCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
