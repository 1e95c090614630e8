#include "adapters/glue/ddl_lexer.h"

#include <fmt/format.h>

#include "adapters/common/utf8.h"
#include "adapters/glue/ddl_literal.h"

namespace strata::glue {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

using common::Utf8Length;

class Lexer {
 public:
  Lexer(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      STRATA_RETURN_IF_ERROR(SkipSpaceAndComments());
      if (i_ >= text_.size()) break;
      Token token;
      token.position = pos_;
      STRATA_RETURN_IF_ERROR(Next(&token));
      tokens.push_back(std::move(token));
    }
    Token end;
    end.position = pos_;
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  // Moves past one byte, keeping the line and column (columns count code points).
  void Advance() {
    if (text_[i_] == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else if (!IsContinuation(text_[i_])) {
      ++pos_.column;
    }
    ++i_;
  }
  void AdvanceBy(size_t n) {
    for (size_t k = 0; k < n; ++k) Advance();
  }
  bool At(std::string_view s) const { return text_.substr(i_, s.size()) == s; }

  Status SkipSpaceAndComments() {
    while (i_ < text_.size()) {
      if (IsSpace(text_[i_])) {
        Advance();
      } else if (At("--")) {
        while (i_ < text_.size() && text_[i_] != '\n') Advance();
      } else if (At("/*")) {
        const TextPosition start = pos_;
        size_t close = text_.find("*/", i_ + 2);
        if (close == std::string_view::npos) {
          return ErrorAt(file_, start,
                         "unterminated comment: this /* has no */ before the end of the file");
        }
        AdvanceBy(close + 2 - i_);
      } else {
        break;
      }
    }
    return Status::Ok();
  }

  Status Next(Token* token) {
    const char c = text_[i_];
    if (IsWordChar(c)) return Word(token);
    if (c == '`') return BackquotedName(token);
    if (c == '\'' || c == '"') return StringLiteral(token);
    token->kind = TokenKind::kSymbol;
    const size_t n = Utf8Length(text_, i_);  // validated up front: never 0 here
    token->text = std::string(text_.substr(i_, n));
    AdvanceBy(n);
    return Status::Ok();
  }

  Status Word(Token* token) {
    size_t end = i_;
    while (end < text_.size() && IsWordChar(text_[end])) ++end;
    std::string_view word = text_.substr(i_, end - i_);
    bool digits = true;
    for (char c : word) digits = digits && IsDigit(c);
    token->kind = digits ? TokenKind::kNumber : TokenKind::kWord;
    // A decimal number (a property value such as 1.5) is one token.
    if (digits && end + 1 < text_.size() && text_[end] == '.' && IsDigit(text_[end + 1])) {
      for (end += 1; end < text_.size() && IsDigit(text_[end]);) ++end;
    }
    token->text = std::string(text_.substr(i_, end - i_));
    AdvanceBy(end - i_);
    return Status::Ok();
  }

  Status BackquotedName(Token* token) {
    const TextPosition start = pos_;
    token->kind = TokenKind::kName;
    Advance();
    while (true) {
      if (i_ >= text_.size()) {
        return ErrorAt(file_, start,
                       "unterminated name: this ` has no closing ` before the end of the file");
      }
      if (text_[i_] == '`') {
        if (!At("``")) break;
        token->text.push_back('`');  // a doubled backquote is one backquote
        AdvanceBy(2);
        continue;
      }
      token->text.push_back(text_[i_]);
      Advance();
    }
    Advance();
    return Status::Ok();
  }

  // A backslash escapes whatever follows it, the quote included, as in Hive's lexer.
  Status StringLiteral(Token* token) {
    const TextPosition start = pos_;
    const char quote = text_[i_];
    token->kind = TokenKind::kString;
    Advance();
    const size_t body_start = i_;
    while (i_ < text_.size() && text_[i_] != quote) {
      if (text_[i_] == '\\' && i_ + 1 < text_.size()) Advance();
      Advance();
    }
    if (i_ >= text_.size()) {
      return ErrorAt(file_, start,
                     fmt::format("unterminated string: this {} has no closing {} before the end "
                                 "of the file",
                                 quote, quote));
    }
    std::string_view body = text_.substr(body_start, i_ - body_start);
    Advance();
    size_t bad = 0;
    Result<std::string> value = UnescapeHiveString(body, &bad);
    if (!value.ok()) {
      return ErrorAt(file_, PositionAfter(start, text_.substr(body_start - 1, bad + 1)),
                     value.status().message());
    }
    token->text = std::move(value).value();
    return Status::Ok();
  }

  // The position reached from `from` after the characters of `skipped`.
  static TextPosition PositionAfter(TextPosition from, std::string_view skipped) {
    for (char c : skipped) {
      if (c == '\n') {
        ++from.line;
        from.column = 1;
      } else if (!IsContinuation(c)) {
        ++from.column;
      }
    }
    return from;
  }

  std::string_view text_;
  std::string_view file_;
  size_t i_ = 0;
  TextPosition pos_;
};

}  // namespace

Status ErrorAt(std::string_view file, TextPosition at, std::string_view message) {
  return Status::InvalidArgument(fmt::format("{}:{}:{}: {}", file, at.line, at.column, message));
}

Result<std::vector<Token>> Lex(std::string_view text, std::string_view file) {
  if (text.size() > kMaxStatementBytes) {
    return ErrorAt(file, TextPosition(),
                   fmt::format("the file is {} bytes; a table statement may have at most {} "
                               "(split it: one CREATE EXTERNAL TABLE per file)",
                               text.size(), kMaxStatementBytes));
  }
  if (const auto bad = common::FindInvalidUtf8(text)) {
    return ErrorAt(file, TextPosition{bad->line, bad->column},
                   fmt::format("byte 0x{:02X} is not valid UTF-8; save the file as UTF-8",
                               bad->byte));
  }
  return Lexer(text, file).Run();
}

}  // namespace strata::glue
