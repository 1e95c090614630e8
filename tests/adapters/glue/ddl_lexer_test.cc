#include "adapters/glue/ddl_lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace strata::glue {
namespace {

std::vector<Token> Tokens(std::string_view text) {
  Result<std::vector<Token>> tokens = Lex(text, "t.sql");
  EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
  return tokens.ok() ? *tokens : std::vector<Token>{};
}

// "kind:text@line:col" for each token, end included.
std::vector<std::string> Described(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : Tokens(text)) {
    const char* kind = "";
    switch (t.kind) {
      case TokenKind::kWord: kind = "word"; break;
      case TokenKind::kNumber: kind = "number"; break;
      case TokenKind::kName: kind = "name"; break;
      case TokenKind::kString: kind = "string"; break;
      case TokenKind::kSymbol: kind = "symbol"; break;
      case TokenKind::kEnd: kind = "end"; break;
    }
    out.push_back(std::string(kind) + ":" + t.text + "@" + std::to_string(t.position.line) + ":" +
                  std::to_string(t.position.column));
  }
  return out;
}

std::string Error(std::string_view text) {
  Result<std::vector<Token>> tokens = Lex(text, "t.sql");
  EXPECT_FALSE(tokens.ok()) << text;
  EXPECT_EQ(tokens.status().code(), Code::kInvalidArgument);
  return tokens.status().message();
}

TEST(DdlLexer, TokensCarryTheirLineAndColumn) {
  EXPECT_EQ(Described("CREATE EXTERNAL\n  TABLE t(a int);"),
            (std::vector<std::string>{"word:CREATE@1:1", "word:EXTERNAL@1:8", "word:TABLE@2:3",
                                      "word:t@2:9", "symbol:(@2:10", "word:a@2:11",
                                      "word:int@2:13", "symbol:)@2:16", "symbol:;@2:17",
                                      "end:@2:18"}));
}

TEST(DdlLexer, ColumnsCountCharactersNotBytes) {
  // 'é' is two bytes and one character; the emoji four bytes and one character.
  EXPECT_EQ(Described("'\xC3\xA9' x '\xF0\x9F\x98\x80' y"),
            (std::vector<std::string>{"string:\xC3\xA9@1:1", "word:x@1:5",
                                      "string:\xF0\x9F\x98\x80@1:7", "word:y@1:11",
                                      "end:@1:12"}));
}

TEST(DdlLexer, CommentsAndWhitespaceAreSkipped) {
  EXPECT_EQ(Described("-- a comment\n/* a\nblock */ a -- tail\n\tb /**/c"),
            (std::vector<std::string>{"word:a@3:10", "word:b@4:2", "word:c@4:8", "end:@4:9"}));
  // Inside a literal they are text.
  EXPECT_EQ(Described("'--x' \"/*y*/\""),
            (std::vector<std::string>{"string:--x@1:1", "string:/*y*/@1:7", "end:@1:14"}));
}

TEST(DdlLexer, WordsNumbersNamesAndSymbols) {
  EXPECT_EQ(Described("decimal(10,2) 1.5 8buckets _x `a``b` `` <>:=."),
            (std::vector<std::string>{
                "word:decimal@1:1", "symbol:(@1:8", "number:10@1:9", "symbol:,@1:11",
                "number:2@1:12", "symbol:)@1:13", "number:1.5@1:15", "word:8buckets@1:19",
                "word:_x@1:28", "name:a`b@1:31", "name:@1:38", "symbol:<@1:41", "symbol:>@1:42",
                "symbol::@1:43", "symbol:=@1:44", "symbol:.@1:45", "end:@1:46"}));
  // A character outside the language is a symbol, for the parser to refuse with its place.
  EXPECT_EQ(Described("[\xC3\xA9"),
            (std::vector<std::string>{"symbol:[@1:1", "symbol:\xC3\xA9@1:2", "end:@1:3"}));
}

TEST(DdlLexer, StringsAreUnescapedAndMaySpanLines) {
  EXPECT_EQ(Described(R"('it\'s' "a\"b" '\\s+')"),
            (std::vector<std::string>{"string:it's@1:1", "string:a\"b@1:9", "string:\\s+@1:16",
                                      "end:@1:22"}));
  EXPECT_EQ(Described("'a\nb' c"),
            (std::vector<std::string>{"string:a\nb@1:1", "word:c@2:4", "end:@2:5"}));
  // Adjacent literals stay two tokens; the parser joins them.
  EXPECT_EQ(Described("'a''b'"),
            (std::vector<std::string>{"string:a@1:1", "string:b@1:4", "end:@1:7"}));
}

TEST(DdlLexer, UnterminatedThingsAreReportedWhereTheyStart) {
  EXPECT_EQ(Error("a\n  'abc"),
            "t.sql:2:3: unterminated string: this ' has no closing ' before the end of the file");
  EXPECT_EQ(Error("x \"ab\\\""),
            "t.sql:1:3: unterminated string: this \" has no closing \" before the end of the "
            "file");
  EXPECT_EQ(Error("x `abc"),
            "t.sql:1:3: unterminated name: this ` has no closing ` before the end of the file");
  EXPECT_EQ(Error("x /* abc *"),
            "t.sql:1:3: unterminated comment: this /* has no */ before the end of the file");
}

TEST(DdlLexer, BadEscapesAreReportedAtTheirBackslash) {
  EXPECT_EQ(Error("a\n 'C:\\users'"),
            "t.sql:2:5: \\u must be followed by four hexadecimal digits (\\u00e9 is \xC3\xA9); "
            "write \\\\u for a backslash and a u");
  EXPECT_EQ(Error("'\xC3\xA9\n\xC3\xA9\\uDE00'"),
            "t.sql:2:2: \\uDE00 is the second half of a surrogate pair without its first; write "
            "the character itself");
}

TEST(DdlLexer, InvalidUtf8IsRefusedWithItsPlace) {
  EXPECT_EQ(Error("ab\n c\xFF"), "t.sql:2:3: byte 0xFF is not valid UTF-8; save the file as UTF-8");
  EXPECT_EQ(Error("'\xC3'"), "t.sql:1:2: byte 0xC3 is not valid UTF-8; save the file as UTF-8");
  // Overlong forms and surrogates are not UTF-8 either (protobuf would refuse them later).
  EXPECT_EQ(Error("\xC0\xAF"), "t.sql:1:1: byte 0xC0 is not valid UTF-8; save the file as UTF-8");
  EXPECT_EQ(Error("\xED\xA0\x80"),
            "t.sql:1:1: byte 0xED is not valid UTF-8; save the file as UTF-8");
}

TEST(DdlLexer, OversizedInputIsRefusedBeforeItIsRead) {
  std::string big(kMaxStatementBytes + 1, ' ');
  EXPECT_EQ(Error(big), "t.sql:1:1: the file is 8388609 bytes; a table statement may have at "
                        "most 8388608 (split it: one CREATE EXTERNAL TABLE per file)");
  big.pop_back();
  EXPECT_TRUE(Lex(big, "t.sql").ok());
}

TEST(DdlLexer, EmptyTextIsOnlyTheEnd) {
  EXPECT_EQ(Described(""), (std::vector<std::string>{"end:@1:1"}));
  EXPECT_EQ(Described("  -- nothing\n"), (std::vector<std::string>{"end:@2:1"}));
}

}  // namespace
}  // namespace strata::glue
