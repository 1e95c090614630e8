#include "adapters/glue/ddl_literal.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace strata::glue {
namespace {

std::string Unescaped(std::string_view body) {
  Result<std::string> value = UnescapeHiveString(body);
  EXPECT_TRUE(value.ok()) << body << ": " << value.status().ToString();
  return value.ok() ? *value : "<error>";
}

// The examples the notes draw from AWS's documented tables (regex-serde, ALB, ELB pages).
TEST(HiveLiteral, DocumentedExamples) {
  EXPECT_EQ(Unescaped(R"(\\s+)"), R"(\s+)");            // "\\s+" stores \s+
  EXPECT_EQ(Unescaped(R"(\"([^ ]*))"), R"("([^ ]*))");  // '\"([^ ]*)' stores "([^ ]*)
  EXPECT_EQ(Unescaped(R"([^\s]+)"), "[^s]+");           // the ALB regex loses its backslash
  EXPECT_EQ(Unescaped(R"(\\\"([^ ]*))"), R"(\"([^ ]*))");  // the Classic ELB regex keeps one
  EXPECT_EQ(Unescaped(R"(.*\%20([^\/]+)[\/])"), R"(.*\%20([^/]+)[/])");
}

TEST(HiveLiteral, UsualEscapes) {
  EXPECT_EQ(Unescaped(R"(\0)"), std::string("\0", 1));
  EXPECT_EQ(Unescaped(R"(\')"), "'");
  EXPECT_EQ(Unescaped(R"(\")"), "\"");
  EXPECT_EQ(Unescaped(R"(\b)"), "\b");
  EXPECT_EQ(Unescaped(R"(\n)"), "\n");
  EXPECT_EQ(Unescaped(R"(\r)"), "\r");
  EXPECT_EQ(Unescaped(R"(\t)"), "\t");
  EXPECT_EQ(Unescaped(R"(\Z)"), "\x1A");
  EXPECT_EQ(Unescaped(R"(\\)"), "\\");
}

TEST(HiveLiteral, PercentAndUnderscoreKeepTheirBackslash) {
  EXPECT_EQ(Unescaped(R"(a\%b)"), R"(a\%b)");
  EXPECT_EQ(Unescaped(R"(a\_b)"), R"(a\_b)");
  EXPECT_EQ(Unescaped(R"(\\%)"), R"(\%)");  // an escaped backslash, then a plain %
}

TEST(HiveLiteral, AnyOtherEscapedCharacterLosesItsBackslash) {
  EXPECT_EQ(Unescaped(R"(\s\d\w\(\;\/\.\[\])"), "sdw(;/.[]");
  EXPECT_EQ(Unescaped("\\\xC3\xA9"), "\xC3\xA9");  // a backslash before a non-ASCII character
  EXPECT_EQ(Unescaped(R"(\z)"), "z");              // only upper-case Z is 0x1A
}

TEST(HiveLiteral, OctalEscapesNeedThreeDigitsStartingWithZeroOrOne) {
  EXPECT_EQ(Unescaped(R"(\001)"), "\x01");
  EXPECT_EQ(Unescaped(R"(\011)"), "\t");
  EXPECT_EQ(Unescaped(R"(\177)"), "\x7F");
  EXPECT_EQ(Unescaped(R"(\0012)"), "\x01" "2");    // three digits, then a plain 2
  EXPECT_EQ(Unescaped(R"(\01)"), std::string("\0" "1", 2));  // too short: \0 then 1
  EXPECT_EQ(Unescaped(R"(\200)"), "200");          // first digit 2: not octal, \2 is 2
  EXPECT_EQ(Unescaped(R"(\018)"), std::string("\0" "18", 3));  // 8 is not octal
}

TEST(HiveLiteral, UnicodeEscapes) {
  EXPECT_EQ(Unescaped(R"(\u0041)"), "A");
  EXPECT_EQ(Unescaped(R"(\u00e9\u00E9)"), "\xC3\xA9\xC3\xA9");
  EXPECT_EQ(Unescaped(R"(\u20AC)"), "\xE2\x82\xAC");
  EXPECT_EQ(Unescaped(R"(\u0000)"), std::string("\0", 1));
  EXPECT_EQ(Unescaped(R"(\uD83D\uDE00)"), "\xF0\x9F\x98\x80");  // a surrogate pair is one
  EXPECT_EQ(Unescaped(R"(\u00411)"), "A1");
}

TEST(HiveLiteral, UnicodeEscapeErrorsPointAtTheBackslash) {
  struct Case {
    const char* body;
    size_t offset;
    const char* message_start;
  };
  for (const Case& c : {
           Case{R"(ab\u12)", 2, "\\u must be followed by four hexadecimal digits"},
           Case{R"(\uZZZZ)", 0, "\\u must be followed by four hexadecimal digits"},
           Case{R"(C:\users)", 2, "\\u must be followed by four hexadecimal digits"},
           Case{R"(x\uDE00)", 1, "\\uDE00 is the second half of a surrogate pair"},
           Case{R"(\uD83Dx)", 0, "\\uD83D is the first half of a surrogate pair"},
           Case{R"(\uD83D\u0041)", 0, "\\uD83D is the first half of a surrogate pair"},
       }) {
    size_t offset = 99;
    Result<std::string> value = UnescapeHiveString(c.body, &offset);
    ASSERT_FALSE(value.ok()) << c.body;
    EXPECT_EQ(value.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(value.status().message().rfind(c.message_start, 0), 0u)
        << c.body << ": " << value.status().message();
    EXPECT_EQ(offset, c.offset) << c.body;
  }
}

TEST(HiveLiteral, QuotingEscapesWhatUnescapingReads) {
  EXPECT_EQ(QuoteHiveString("it's"), R"('it\'s')");
  EXPECT_EQ(QuoteHiveString(R"(a\b)"), R"('a\\b')");
  EXPECT_EQ(QuoteHiveString("a\nb\tc\rd"), R"('a\nb\tc\rd')");
  EXPECT_EQ(QuoteHiveString(std::string("\0" "1", 2)), R"('\0001')");
  EXPECT_EQ(QuoteHiveString("\x01\x7F"), R"('\001\177')");
  EXPECT_EQ(QuoteHiveString(R"(\%)"), R"('\\%')");
  EXPECT_EQ(QuoteHiveString("\"\xC3\xA9"), "'\"\xC3\xA9'");
}

// The law the renderer relies on, over strings built from the characters that matter.
TEST(HiveLiteral, UnescapeOfQuoteIsIdentityForRandomStrings) {
  const std::string alphabet[] = {"a",  "\\", "'", "\"", "%", "_", "u",  "0",  "1",
                                  "7",  "8",  "n", "\n", "\t", "\r", std::string("\0", 1),
                                  "\x01", "\x1A", "\x7F", "\xC3\xA9", "\xF0\x9F\x98\x80", "$", "{"};
  std::mt19937 rng(7);
  for (int i = 0; i < 5000; ++i) {
    std::string value;
    for (int n = std::uniform_int_distribution<int>(0, 12)(rng); n > 0; --n) {
      value += alphabet[std::uniform_int_distribution<size_t>(0, std::size(alphabet) - 1)(rng)];
    }
    const std::string quoted = QuoteHiveString(value);
    ASSERT_EQ(quoted.front(), '\'');
    ASSERT_EQ(quoted.back(), '\'');
    Result<std::string> back = UnescapeHiveString(quoted.substr(1, quoted.size() - 2));
    ASSERT_TRUE(back.ok()) << quoted << ": " << back.status().ToString();
    ASSERT_EQ(*back, value) << quoted;
  }
}

}  // namespace
}  // namespace strata::glue
