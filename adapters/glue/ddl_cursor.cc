#include "adapters/glue/ddl_cursor.h"

#include <fmt/format.h>

#include <algorithm>

namespace strata::glue {
namespace {

constexpr size_t kShownValueChars = 40;

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// `text` cut to about `max` characters on a character boundary, with "…" when cut, and with
// control characters shown as escapes so a message stays on one line.
std::string Shortened(std::string_view text, size_t max) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsContinuation(text[i]) && ++chars > max) {
      out += "\xE2\x80\xA6";  // …
      break;
    }
    const auto u = static_cast<unsigned char>(text[i]);
    if (text[i] == '\n') {
      out += "\\n";
    } else if (text[i] == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      out += fmt::format("\\x{:02X}", u);
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view ClosestWord(std::string_view word,
                             const std::vector<std::string_view>& candidates) {
  const std::string w = Lower(word);
  if (w.size() > 64) return {};  // no keyword is that long; keeps the table small
  std::string_view best;
  size_t best_distance = 3;
  for (std::string_view candidate : candidates) {
    const std::string c = Lower(candidate);
    // Levenshtein distance, one row at a time.
    std::vector<size_t> row(c.size() + 1);
    for (size_t j = 0; j <= c.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= w.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= c.size(); ++j) {
        const size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (w[i - 1] == c[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    const size_t d = row[c.size()];
    if (d < best_distance && d * 2 < w.size()) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kWord: return fmt::format("\"{}\"", Shortened(token.text, kShownValueChars));
    case TokenKind::kNumber: return fmt::format("the number {}", token.text);
    case TokenKind::kName:
      return fmt::format("the name `{}`", Shortened(token.text, kShownValueChars));
    case TokenKind::kString:
      return fmt::format("the string '{}'", Shortened(token.text, kShownValueChars));
    case TokenKind::kSymbol: return fmt::format("'{}'", Shortened(token.text, kShownValueChars));
    case TokenKind::kEnd: return "the end of the file";
  }
  return "?";
}

const Token& TokenCursor::Peek(size_t ahead) const {
  const size_t at = pos_ + ahead;
  return at < tokens_.size() ? tokens_[at] : tokens_.back();
}

const Token& TokenCursor::Next() {
  const Token& token = Peek();
  if (token.kind != TokenKind::kEnd) ++pos_;
  return token;
}

bool TokenCursor::IsKeyword(std::string_view keyword, size_t ahead) const {
  const Token& token = Peek(ahead);
  if (token.kind != TokenKind::kWord || token.text.size() != keyword.size()) return false;
  for (size_t i = 0; i < keyword.size(); ++i) {
    char c = token.text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != keyword[i]) return false;
  }
  return true;
}

bool TokenCursor::IsSymbol(std::string_view symbol, size_t ahead) const {
  const Token& token = Peek(ahead);
  return token.kind == TokenKind::kSymbol && token.text == symbol;
}

bool TokenCursor::AcceptKeyword(std::string_view keyword) {
  if (!IsKeyword(keyword)) return false;
  Next();
  return true;
}

bool TokenCursor::AcceptSymbol(std::string_view symbol) {
  if (!IsSymbol(symbol)) return false;
  Next();
  return true;
}

Status TokenCursor::ExpectKeyword(std::string_view keyword, std::string_view expected) {
  if (AcceptKeyword(keyword)) return Status::Ok();
  return Unexpected(Peek(), expected);
}

Status TokenCursor::ExpectSymbol(std::string_view symbol, std::string_view expected) {
  if (AcceptSymbol(symbol)) return Status::Ok();
  return Unexpected(Peek(), expected);
}

Status TokenCursor::Unexpected(const Token& token, std::string_view expected) const {
  return ErrorAt(token, fmt::format("found {}, expected {}", DescribeToken(token), expected));
}

Status TokenCursor::ErrorAt(const Token& token, std::string_view message) const {
  return ErrorAt(token.position, message);
}

Status TokenCursor::ErrorAt(TextPosition at, std::string_view message) const {
  return glue::ErrorAt(file_, at, message);
}

}  // namespace strata::glue
