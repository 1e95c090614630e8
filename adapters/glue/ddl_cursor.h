// Reading a DDL statement's tokens (ddl_lexer.h) one at a time, with the errors every reader
// of them gives: "FILE:LINE:COL: found X, expected Y", where X describes the token as the user
// wrote it ("LOCATON", the string 's3://…', '(' or the end of the file).
//
// Keywords are matched case-insensitively against words only, never against backquoted names:
// `location` is a name wherever it stands. A cursor never moves past the final kEnd token. Not
// thread-safe; it borrows the tokens and the file name, which must outlive it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/glue/ddl_lexer.h"
#include "engine/status.h"

namespace strata::glue {

class TokenCursor {
 public:
  TokenCursor(const std::vector<Token>& tokens, std::string_view file)
      : tokens_(tokens), file_(file) {}

  // The token `ahead` places after the current one (the kEnd token past the end).
  const Token& Peek(size_t ahead = 0) const;
  // The current token; moves past it unless it is the end.
  const Token& Next();
  bool AtEnd() const { return Peek().kind == TokenKind::kEnd; }

  // Whether the token `ahead` is the word `keyword` (given in upper case; the word may be in
  // any case) / the symbol `symbol`.
  bool IsKeyword(std::string_view keyword, size_t ahead = 0) const;
  bool IsSymbol(std::string_view symbol, size_t ahead = 0) const;
  // Moves past the current token when it is that keyword / symbol.
  bool AcceptKeyword(std::string_view keyword);
  bool AcceptSymbol(std::string_view symbol);
  // Moves past the keyword or symbol, or fails with "found X, expected <expected>".
  Status ExpectKeyword(std::string_view keyword, std::string_view expected);
  Status ExpectSymbol(std::string_view symbol, std::string_view expected);

  // "FILE:LINE:COL: found X, expected <expected>" at `token`.
  Status Unexpected(const Token& token, std::string_view expected) const;
  // "FILE:LINE:COL: message" at `token` / at a position.
  Status ErrorAt(const Token& token, std::string_view message) const;
  Status ErrorAt(TextPosition at, std::string_view message) const;

  std::string_view file() const { return file_; }

 private:
  const std::vector<Token>& tokens_;
  std::string_view file_;
  size_t pos_ = 0;
};

// How a token reads in a message: "LOCATON", the number 8, the name `x`, the string 'abc'
// (long values shortened), '(' or the end of the file.
std::string DescribeToken(const Token& token);

// ASCII lower case: Glue folds names to lower case, and keywords compare without case.
std::string Lower(std::string_view text);

// The candidate closest to `word` (case-insensitively) when it is a likely misspelling of it (at
// most two edits, and fewer than half its letters), else "": for "did you mean" hints.
std::string_view ClosestWord(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace strata::glue
