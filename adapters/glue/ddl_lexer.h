// The tokens of Athena's Hive DDL, each with the line and column where it starts, so that every
// error the parser reports can name its place as FILE:LINE:COL.
//
// Lex() skips whitespace, `--` line comments and `/* */` block comments; it reads backquoted
// names (a doubled backquote is one backquote) and string literals in '…' or "…", unescaped by
// Hive's rules (ddl_literal.h). It knows no keywords: words are words, and the parser decides
// what they mean where they stand, as Hive's grammar does for non-reserved words. Any other
// character is a one-character symbol token, which the parser rejects with its position. Pure
// functions; thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace strata::glue {

// 1-based; the column counts characters (UTF-8 code points), not bytes, as editors do.
struct TextPosition {
  int line = 1;
  int column = 1;
};

enum class TokenKind {
  kWord,    // [A-Za-z0-9_]+ that is not a number: keywords, plain names, type names
  kNumber,  // [0-9]+ or [0-9]+.[0-9]+
  kName,    // a backquoted name; `text` is the name without quotes
  kString,  // a string literal; `text` is its value, unescaped
  kSymbol,  // one character of anything else: ( ) , . ; < > : = and the unexpected
  kEnd,     // the end of the text; always the last token
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  TextPosition position;
};

// Statements larger than this are refused before they are read: a Glue table is far smaller
// (Glue caps a column type at 128 KiB), and a bound keeps hostile input cheap.
inline constexpr size_t kMaxStatementBytes = 8 << 20;

// The tokens of `text`, ending with one kEnd token. Returns InvalidArgument
// "FILE:LINE:COL: message" (FILE is `file`) for text that is not valid UTF-8, an unterminated
// string, name or block comment, an escape Hive's rules cannot turn into text, or text longer
// than kMaxStatementBytes.
Result<std::vector<Token>> Lex(std::string_view text, std::string_view file);

// "FILE:LINE:COL: message" as an InvalidArgument: the one shape of every DDL error.
Status ErrorAt(std::string_view file, TextPosition at, std::string_view message);

}  // namespace strata::glue
