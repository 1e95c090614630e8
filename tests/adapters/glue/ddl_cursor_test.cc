#include "adapters/glue/ddl_cursor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace strata::glue {
namespace {

std::vector<Token> Tokens(std::string_view text) {
  Result<std::vector<Token>> tokens = Lex(text, "t.sql");
  EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
  return *tokens;
}

TEST(DdlCursor, KeywordsMatchWordsInAnyCaseButNeverNames) {
  const std::vector<Token> tokens = Tokens("Location `location` LOCATION");
  TokenCursor c(tokens, "t.sql");
  EXPECT_TRUE(c.IsKeyword("LOCATION"));
  EXPECT_FALSE(c.IsKeyword("LOCATION", 1));  // backquoted: a name, whatever it spells
  EXPECT_TRUE(c.IsKeyword("LOCATION", 2));
  EXPECT_FALSE(c.IsKeyword("LOCATIONS"));
  EXPECT_TRUE(c.AcceptKeyword("LOCATION"));
  EXPECT_FALSE(c.AcceptKeyword("LOCATION"));
  EXPECT_EQ(c.Next().text, "location");
  EXPECT_EQ(c.Next().text, "LOCATION");
  EXPECT_TRUE(c.AtEnd());
  EXPECT_EQ(c.Next().kind, TokenKind::kEnd);  // the cursor stays at the end
  EXPECT_EQ(c.Peek(5).kind, TokenKind::kEnd);
}

TEST(DdlCursor, ExpectReportsWhatWasFoundAndWhatWasExpected) {
  const std::vector<Token> tokens = Tokens("(\n  LOCATON 's3://x'");
  TokenCursor c(tokens, "dir/t.sql");
  EXPECT_TRUE(c.ExpectSymbol("(", "'('").ok());
  Status s = c.ExpectKeyword("LOCATION", "LOCATION or TBLPROPERTIES");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "dir/t.sql:2:3: found \"LOCATON\", expected LOCATION or TBLPROPERTIES");
  c.Next();
  EXPECT_EQ(c.ExpectSymbol(")", "')'").message(),
            "dir/t.sql:2:11: found the string 's3://x', expected ')'");
  c.Next();
  EXPECT_EQ(c.ExpectSymbol(")", "')'").message(),
            "dir/t.sql:2:19: found the end of the file, expected ')'");
}

TEST(DdlCursor, TokensAreDescribedAsWritten) {
  const std::vector<Token> tokens =
      Tokens("word 42 `a name` 'text' ; 'a very long string value that goes on and on and on'");
  EXPECT_EQ(DescribeToken(tokens[0]), "\"word\"");
  EXPECT_EQ(DescribeToken(tokens[1]), "the number 42");
  EXPECT_EQ(DescribeToken(tokens[2]), "the name `a name`");
  EXPECT_EQ(DescribeToken(tokens[3]), "the string 'text'");
  EXPECT_EQ(DescribeToken(tokens[4]), "';'");
  EXPECT_EQ(DescribeToken(tokens[5]),
            "the string 'a very long string value that goes on an\xE2\x80\xA6'");
  EXPECT_EQ(DescribeToken(tokens[6]), "the end of the file");
  // Control characters are shown escaped, so a message stays on one line.
  EXPECT_EQ(DescribeToken(Tokens("'a\nb\x01'")[0]), "the string 'a\\nb\\x01'");
}

TEST(DdlCursor, ClosestWordSuggestsOnlyLikelyMisspellings) {
  const std::vector<std::string_view> words = {"LOCATION", "TBLPROPERTIES", "STRING", "INT"};
  EXPECT_EQ(ClosestWord("locaton", words), "LOCATION");
  EXPECT_EQ(ClosestWord("TBLPROPERTES", words), "TBLPROPERTIES");
  EXPECT_EQ(ClosestWord("strng", words), "STRING");
  EXPECT_EQ(ClosestWord("foo", words), "");  // too far from everything
  EXPECT_EQ(ClosestWord("it", words), "");   // short words need more than half their letters
  EXPECT_EQ(ClosestWord(std::string(200, 'x'), words), "");
}

TEST(DdlCursor, LowerFoldsAsciiOnly) {
  EXPECT_EQ(Lower("MiXeD_09"), "mixed_09");
  EXPECT_EQ(Lower("\xC3\x89"), "\xC3\x89");  // É is kept: Glue's folding is not ours to guess
}

}  // namespace
}  // namespace strata::glue
