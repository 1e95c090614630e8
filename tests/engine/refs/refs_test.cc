#include "engine/refs/refs.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace strata {
namespace {

constexpr int64_t kDay = 86'400'000'000;
constexpr int64_t kHour = 3'600'000'000;
constexpr int64_t k2026Mar01 = 1'772'323'200'000'000;  // 2026-03-01T00:00:00Z
constexpr int64_t k2024Feb29 = 1'709'164'800'000'000;
constexpr int64_t k2000Feb29 = 951'782'400'000'000;
constexpr int64_t k2400Feb29 = 13'574'563'200'000'000;
constexpr int64_t k9999Dec31End = 253'402'300'799'999'999;  // 9999-12-31T23:59:59.999999Z
constexpr int64_t kYear0000 = -62'167'219'200'000'000;      // 0000-01-01T00:00:00Z

constexpr const char* kRefHint =
    "use a seq (42), HEAD, HEAD~3, a tag, a hash prefix (9f3ab2 or #1234) or a time "
    "(@2026-03-01)";
constexpr const char* kTimeHint = "use @YYYY-MM-DD or @YYYY-MM-DDTHH:MM:SSZ";
constexpr const char* kBackHint = "write ~N with N a whole number, as in HEAD~3";
constexpr const char* kTagRule =
    "a tag name is letters, digits, '.', '_', '/' and '-', starts with a letter or digit and "
    "is at most 128 characters";

Ref Seq(uint64_t seq, uint64_t back = 0) {
  Ref r;
  r.kind = Ref::Kind::kSeq;
  r.seq = seq;
  r.back = back;
  return r;
}
Ref Head(uint64_t back = 0) {
  Ref r;
  r.kind = Ref::Kind::kHead;
  r.back = back;
  return r;
}
Ref Tag(std::string name, uint64_t back = 0) {
  Ref r;
  r.kind = Ref::Kind::kTag;
  r.name = std::move(name);
  r.back = back;
  return r;
}
Ref Hash(std::string hex, uint64_t back = 0) {
  Ref r;
  r.kind = Ref::Kind::kHashPrefix;
  r.name = std::move(hex);
  r.back = back;
  return r;
}
Ref Time(int64_t micros, uint64_t back = 0) {
  Ref r;
  r.kind = Ref::Kind::kTime;
  r.unix_micros = micros;
  r.back = back;
  return r;
}

std::string Describe(const Ref& r) {
  return fmt::format("Ref{{kind={}, seq={}, name=\"{}\", unix_micros={}, back={}}}",
                     static_cast<int>(r.kind), r.seq, r.name, r.unix_micros, r.back);
}

// ---- grammar: valid refs --------------------------------------------------------------------

// Test names show the ref text (printable ASCII only, so CTest's listing stays readable).
std::string Printable(const std::string& text) {
  std::string out = "\"";
  for (unsigned char ch : text) {
    if (ch >= 0x20 && ch < 0x7f) {
      out += static_cast<char>(ch);
    } else {
      out += fmt::format("\\x{:02x}", ch);
    }
  }
  if (out.size() > 48) out = out.substr(0, 45) + "...";
  return out + "\"";
}

struct ValidCase {
  std::string text;
  Ref want;
};
void PrintTo(const ValidCase& c, std::ostream* os) { *os << Printable(c.text); }

class RefGrammarValidTest : public ::testing::TestWithParam<ValidCase> {};

TEST_P(RefGrammarValidTest, Parses) {
  const ValidCase& c = GetParam();
  auto got = ParseRef(c.text);
  ASSERT_TRUE(got.ok()) << c.text << ": " << got.status().ToString();
  EXPECT_EQ(*got, c.want) << c.text << " gave " << Describe(*got) << ", want " << Describe(c.want);
}

const std::string kFullHash = "9f3ab2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80";

std::vector<ValidCase> ValidCases() {
  return {
      // seqs
      ValidCase{"42", Seq(42)},
      ValidCase{"1", Seq(1)},
      ValidCase{"007", Seq(7)},
      ValidCase{"18446744073709551615", Seq(18446744073709551615ull)},
      ValidCase{"42~5", Seq(42, 5)},
      // HEAD, in any case, with suffixes
      ValidCase{"HEAD", Head()},
      ValidCase{"head", Head()},
      ValidCase{"Head", Head()},
      ValidCase{"HEAD~3", Head(3)},
      ValidCase{"HEAD~", Head(1)},
      ValidCase{"HEAD~0", Head(0)},
      ValidCase{"HEAD~~", Head(2)},
      ValidCase{"HEAD~2~1", Head(3)},
      ValidCase{"HEAD~18446744073709551615", Head(18446744073709551615ull)},
      // tags
      ValidCase{"v1.2", Tag("v1.2")},
      ValidCase{"before-migration", Tag("before-migration")},
      ValidCase{"release/2026_03", Tag("release/2026_03")},
      ValidCase{"v1.2~2", Tag("v1.2", 2)},
      ValidCase{"abc", Tag("abc")},
      ValidCase{"1a", Tag("1a")},
      ValidCase{"headless", Tag("headless")},
      ValidCase{"HEAD2", Tag("HEAD2")},
      ValidCase{"2026-03-01-release", Tag("2026-03-01-release")},
      ValidCase{"prod_v2", Tag("prod_v2")},
      ValidCase{std::string(128, 'x'), Tag(std::string(128, 'x'))},
      // hash prefixes
      ValidCase{"9f3ab2", Hash("9f3ab2")},
      ValidCase{"9F3AB2", Hash("9f3ab2")},
      ValidCase{"abcd", Hash("abcd")},
      ValidCase{"#1234", Hash("1234")},
      ValidCase{"#DEADBEEF", Hash("deadbeef")},
      ValidCase{"#1234~2", Hash("1234", 2)},
      ValidCase{"9f3ab2~", Hash("9f3ab2", 1)},
      ValidCase{kFullHash, Hash(kFullHash)},
      ValidCase{"#" + kFullHash, Hash(kFullHash)},
      // times
      ValidCase{"@2026-03-01", Time(k2026Mar01)},
      ValidCase{"@2026-03-01T12:00:00Z", Time(k2026Mar01 + 12 * kHour)},
      ValidCase{"@2026-03-01t12:00:00z", Time(k2026Mar01 + 12 * kHour)},
      ValidCase{"@2026-03-01T12:00:00.5Z", Time(k2026Mar01 + 12 * kHour + 500'000)},
      ValidCase{"@2026-03-01T12:00:00.000001Z", Time(k2026Mar01 + 12 * kHour + 1)},
      ValidCase{"@2026-03-01T12:00:00.123456789Z", Time(k2026Mar01 + 12 * kHour + 123'456)},
      ValidCase{"@2026-03-01T12:00:00+02:00", Time(k2026Mar01 + 10 * kHour)},
      ValidCase{"@2026-03-01T00:30:00-01:30", Time(k2026Mar01 + 2 * kHour)},
      ValidCase{"@2026-03-01T01:00:00+01:00", Time(k2026Mar01)},
      ValidCase{"@2026-03-01T00:00:00-00:00", Time(k2026Mar01)},
      ValidCase{"@2026-03-01T12:34:56.789+05:45",
                Time(k2026Mar01 + 12 * kHour + (34 * 60 + 56) * 1'000'000 + 789'000 -
                     (5 * 60 + 45) * 60'000'000ll)},
      ValidCase{"@2024-02-29", Time(k2024Feb29)},
      ValidCase{"@2000-02-29", Time(k2000Feb29)},
      ValidCase{"@2400-02-29", Time(k2400Feb29)},
      ValidCase{"@2024-03-01", Time(k2024Feb29 + kDay)},
      ValidCase{"@1970-01-01", Time(0)},
      ValidCase{"@1970-01-01T00:00:00.000001Z", Time(1)},
      ValidCase{"@1969-12-31T23:59:59.999999Z", Time(-1)},
      ValidCase{"@1969-12-31T23:59:59.9999999Z", Time(-1)},  // truncated toward the past
      ValidCase{"@2026-03-01~1", Time(k2026Mar01, 1)},
      ValidCase{"@2026-03-01T12:00:00Z~3", Time(k2026Mar01 + 12 * kHour, 3)},
      ValidCase{"@9999-12-31T23:59:59.999999Z", Time(k9999Dec31End)},
      ValidCase{"@0000-01-01", Time(kYear0000)},
  };
}

INSTANTIATE_TEST_SUITE_P(Ref, RefGrammarValidTest, ::testing::ValuesIn(ValidCases()));

// ---- grammar: invalid refs, with the exact message ------------------------------------------

struct InvalidCase {
  std::string text;
  std::string message;
};
void PrintTo(const InvalidCase& c, std::ostream* os) { *os << Printable(c.text); }

class RefGrammarInvalidTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(RefGrammarInvalidTest, IsRejectedWithItsMessage) {
  const InvalidCase& c = GetParam();
  auto got = ParseRef(c.text);
  ASSERT_FALSE(got.ok()) << c.text << " parsed as " << Describe(*got);
  EXPECT_EQ(got.status().code(), Code::kInvalidArgument) << c.text;
  EXPECT_EQ(got.status().message(), c.message) << c.text;
}

std::string Bad(const std::string& text, const std::string& reason, const std::string& hint) {
  return fmt::format("invalid ref \"{}\": {}; {}", text, reason, hint);
}

InvalidCase Case(const std::string& text, const std::string& reason,
                 const std::string& hint = kRefHint) {
  return {text, Bad(text, reason, hint)};
}
InvalidCase TimeCase(const std::string& text, const std::string& reason) {
  return {text, Bad(text, reason, kTimeHint)};
}

INSTANTIATE_TEST_SUITE_P(
    Ref, RefGrammarInvalidTest,
    ::testing::Values(
        Case("", "it is empty"),
        // seqs
        Case("0", "seqs start at 1"), Case("18446744073709551616", "the seq is too large"),
        // suffixes
        Case("HEAD~x", "\"~x\" is not a count", kBackHint),
        Case("HEAD~-1", "\"~-1\" is not a count", kBackHint),
        Case("HEAD~1.5", "\"~1.5\" is not a count", kBackHint),
        Case("HEAD~18446744073709551616", "\"~18446744073709551616\" is too large", kBackHint),
        Case("HEAD~18446744073709551615~1", "the ~N suffixes add up to too much", kBackHint),
        Case("~3", "a ~N suffix needs a ref before it", "write it as in HEAD~3"),
        Case("HEAD^", "'^' is not supported", "write ~1 for one commit earlier, as in HEAD~1"),
        // tags
        Case("foo bar", "not a tag name: ' ' is not allowed"),
        Case("v1:2", "not a tag name: ':' is not allowed"),
        Case("-x", "not a tag name: it starts with '-'"),
        Case(".hidden", "not a tag name: it starts with '.'"),
        Case(std::string(129, 'x'), "not a tag name: it has 129 characters, more than 128"),
        InvalidCase{"a\x01\"b",
                    Bad("a\\x01\\\"b", "not a tag name: '\\x01' is not allowed", kRefHint)},
        Case("2026-03-01", "a time needs a leading '@'", "as in @2026-03-01"),
        Case("2026-03-01T12:00:00Z", "a time needs a leading '@'", "as in @2026-03-01T12:00:00Z"),
        // hash prefixes
        Case("#", "a hash prefix needs at least 4 hex digits"),
        Case("#12", "a hash prefix needs at least 4 hex digits"),
        Case("#abc", "a hash prefix needs at least 4 hex digits"),
        Case("#12g4", "'g' is not a hex digit"), Case("#v1.2", "'v' is not a hex digit"),
        Case(kFullHash + "0", "a hash has only 64 hex digits"),
        Case("#" + kFullHash + "0", "a hash has only 64 hex digits"),
        // dates
        TimeCase("@", "a date must be YYYY-MM-DD"),
        TimeCase("@2026-13-01", "month 13 is out of range"),
        TimeCase("@2026-00-10", "month 0 is out of range"),
        TimeCase("@2026-02-29", "day 29 is out of range; 2026-02 has 28 days"),
        TimeCase("@2100-02-29", "day 29 is out of range; 2100-02 has 28 days"),
        TimeCase("@1900-02-29", "day 29 is out of range; 1900-02 has 28 days"),
        TimeCase("@2024-02-30", "day 30 is out of range; 2024-02 has 29 days"),
        TimeCase("@2026-04-31", "day 31 is out of range; 2026-04 has 30 days"),
        TimeCase("@2026-03-00", "day 0 is out of range; 2026-03 has 31 days"),
        TimeCase("@2026-3-1", "a date must be YYYY-MM-DD"),
        TimeCase("@26-03-01", "a date must be YYYY-MM-DD"),
        TimeCase("@yesterday", "a date must be YYYY-MM-DD"),
        TimeCase("@2026-03-01x", "unexpected \"x\" after the date"),
        TimeCase("@2026-03-01 12:00:00Z", "separate the date and the time of day with 'T'"),
        // times of day
        TimeCase("@2026-03-01T", "the time of day must be HH:MM:SS"),
        TimeCase("@2026-03-01T12:00Z", "the time of day must be HH:MM:SS"),
        TimeCase("@2026-03-01T1:00:00Z", "the time of day must be HH:MM:SS"),
        TimeCase("@2026-03-01T24:00:00Z", "hour 24 is out of range"),
        TimeCase("@2026-03-01T12:60:00Z", "minute 60 is out of range"),
        TimeCase("@2026-03-01T23:59:60Z",
                 "second 60 is out of range (leap seconds are not supported)"),
        TimeCase("@2026-03-01T23:59:61Z", "second 61 is out of range"),
        TimeCase("@2026-03-01T12:00:00.Z", "expected digits after '.'"),
        TimeCase("@2026-03-01T12:00:00.1234567890Z", "a fraction has at most 9 digits"),
        // zones
        TimeCase("@2026-03-01T12:00:00", "a time needs a zone: Z or an offset like +02:00"),
        TimeCase("@2026-03-01T12:00:00.5", "a time needs a zone: Z or an offset like +02:00"),
        TimeCase("@2026-03-01T12:00:00 UTC",
                 "unexpected \" UTC\" where the zone should be (Z or an offset like +02:00)"),
        TimeCase("@2026-03-01T12:00:00+2:00", "the offset must be +HH:MM or -HH:MM"),
        TimeCase("@2026-03-01T12:00:00+0200", "the offset must be +HH:MM or -HH:MM"),
        TimeCase("@2026-03-01T12:00:00+24:00", "offset hour 24 is out of range"),
        TimeCase("@2026-03-01T12:00:00+02:60", "offset minute 60 is out of range"),
        TimeCase("@2026-03-01T12:00:00Zx", "unexpected \"x\" after the time"),
        TimeCase("@2026-03-01T12:00:00+02:00Z", "unexpected \"Z\" after the time"),
        TimeCase("@0000-01-01T00:00:00+00:01",
                 "the instant falls outside years 0000 to 9999 in UTC"),
        TimeCase("@9999-12-31T23:59:59-00:01",
                 "the instant falls outside years 0000 to 9999 in UTC")));

// ---- FormatRef ------------------------------------------------------------------------------

TEST(RefFormatTest, WritesTheCanonicalForm) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"42", "42"},
      {"0042~0", "42"},
      {"head~", "HEAD~1"},
      {"HEAD~2~1", "HEAD~3"},
      {"v1.2~2", "v1.2~2"},
      {"#ABCD", "abcd"},
      {"#1234", "#1234"},
      {"9F3AB2~1", "9f3ab2~1"},
      {"@2026-03-01", "@2026-03-01"},
      {"@2026-03-01T02:00:00+02:00", "@2026-03-01"},
      {"@2026-03-01T12:00:00.500+01:00~1", "@2026-03-01T11:00:00.5Z~1"},
      {"@1969-12-31T23:59:59.999999Z", "@1969-12-31T23:59:59.999999Z"},
  };
  for (const auto& [text, want] : cases) {
    auto ref = ParseRef(text);
    ASSERT_TRUE(ref.ok()) << text << ": " << ref.status().ToString();
    EXPECT_EQ(FormatRef(*ref), want) << text;
  }
}

TEST(RefFormatTest, ParsingTheFormatGivesTheSameRef) {
  for (const ValidCase& c : ValidCases()) {
    const std::string text = FormatRef(c.want);
    auto again = ParseRef(text);
    ASSERT_TRUE(again.ok()) << c.text << " -> " << text << ": " << again.status().ToString();
    EXPECT_EQ(*again, c.want) << c.text << " -> " << text;
  }
}

// ---- tag names -----------------------------------------------------------------------------

TEST(RefTagNameTest, AcceptsOrdinaryNames) {
  for (const char* name : {"v1.2", "before-migration", "a", "Z", "7up", "release/2026_03",
                           "prod_v2", "HEAD2", "headless", "abc", "1a", "fab", "v1.2.3-rc.1",
                           "2026-03-01-release", "2026-03", "x/y/z", "a..b"}) {
    EXPECT_TRUE(ValidateTagName(name).ok()) << name << ": " << ValidateTagName(name).ToString();
  }
  EXPECT_TRUE(ValidateTagName(std::string(kMaxTagNameLength, 'v')).ok());
}

TEST(RefTagNameTest, RejectsNamesWithTheRuleTheyBreak) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "it is empty"},
      {std::string(129, 'v'), "it has 129 characters, more than 128"},
      {"123", "it is all digits, which reads as a seq"},
      {"0", "it is all digits, which reads as a seq"},
      {"HEAD", "HEAD (in any case) is reserved"},
      {"head", "HEAD (in any case) is reserved"},
      {"hEaD", "HEAD (in any case) is reserved"},
      {"cafe", "it is 4 or more hex digits, which reads as a hash prefix"},
      {"1A2B", "it is 4 or more hex digits, which reads as a hash prefix"},
      {"deadbeef", "it is 4 or more hex digits, which reads as a hash prefix"},
      {"2026-03-01", "it starts with a date, which reads as a time"},
      {"2026-03-01T10", "it starts with a date, which reads as a time"},
      {"-x", "it starts with '-'"},
      {".x", "it starts with '.'"},
      {"/x", "it starts with '/'"},
      {"_x", "it starts with '_'"},
      {"a b", "' ' is not allowed"},
      {"v1~1", "'~' is not allowed"},
      {"@x", "'@' is not allowed"},
      {"#x", "'#' is not allowed"},
      {"x^", "'^' is not allowed"},
      {"a:b", "':' is not allowed"},
      {"it's", "\"'\" is not allowed"},
      {"tab\there", "'\\x09' is not allowed"},
      {"caf\xc3\xa9", "'\\xc3' is not allowed"},
  };
  for (const auto& [name, reason] : cases) {
    Status s = ValidateTagName(name);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << name;
    std::string shown;
    for (char c : name) {
      auto u = static_cast<unsigned char>(c);
      shown += (u >= 0x20 && u < 0x7f) ? std::string(1, c) : fmt::format("\\x{:02x}", u);
    }
    EXPECT_EQ(s.message(), fmt::format("invalid tag name \"{}\": {}; {}", shown, reason, kTagRule))
        << name;
  }
}

// Every name `strata tag` accepts can be named back as a ref, and reads as that tag; every
// text that parses as a tag is a name `strata tag` accepts.
TEST(RefTagNameTest, TagNamesAndTagRefsAgree) {
  std::mt19937_64 rng(20260301);
  const std::string alphabet = "abcdefxyzABCDEFHXYZ0123456789._/-~@#^: ";
  int valid = 0;
  for (int i = 0; i < 50'000; ++i) {
    std::string name(std::uniform_int_distribution<int>(1, 8)(rng), ' ');
    for (char& c : name) c = alphabet[rng() % alphabet.size()];
    if (i % 3 == 0 && name.size() > 4) name.replace(0, 4, "head");  // reach the HEAD rule
    const bool accepted = ValidateTagName(name).ok();
    auto ref = ParseRef(name);
    const bool parsed_as_tag =
        ref.ok() && ref->kind == Ref::Kind::kTag && ref->back == 0 && ref->name == name;
    EXPECT_EQ(accepted, parsed_as_tag) << '"' << name << '"';
    valid += accepted;
  }
  EXPECT_GT(valid, 1000);  // the sample exercises both sides
}

// ---- times ----------------------------------------------------------------------------------

// The calendar worked out the slow way, as an oracle independent of the code under test.
struct Civil {
  int year, month, day;
};
bool OracleLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int OracleMonthDays(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && OracleLeap(y) ? 29 : kDays[m - 1];
}
// The date `days` days after 1970-01-01 (days >= 0), by walking years and months.
Civil OracleDate(int64_t days) {
  Civil c{1970, 1, 1};
  while (days >= (OracleLeap(c.year) ? 366 : 365)) days -= OracleLeap(c.year++) ? 366 : 365;
  while (days >= OracleMonthDays(c.year, c.month)) days -= OracleMonthDays(c.year, c.month++);
  c.day = static_cast<int>(days) + 1;
  return c;
}
std::string OracleFormat(int64_t micros) {
  const int64_t days = micros / kDay;
  const int64_t in_day = micros % kDay;
  const Civil c = OracleDate(days);
  const int64_t s = in_day / 1'000'000;
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day,
                                s / 3600, s / 60 % 60, s % 60);
  if (int64_t f = in_day % 1'000'000; f != 0) {
    std::string digits = fmt::format("{:06}", f);
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out + "Z";
}

TEST(RefTimeTest, FormatsKnownInstants) {
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTime(1), "1970-01-01T00:00:00.000001Z");
  EXPECT_EQ(FormatTime(500'000), "1970-01-01T00:00:00.5Z");
  EXPECT_EQ(FormatTime(120'000), "1970-01-01T00:00:00.12Z");
  EXPECT_EQ(FormatTime(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTime(-kDay), "1969-12-31T00:00:00Z");
  EXPECT_EQ(FormatTime(k2026Mar01), "2026-03-01T00:00:00Z");
  EXPECT_EQ(FormatTime(k2026Mar01 + 12 * kHour), "2026-03-01T12:00:00Z");
  EXPECT_EQ(FormatTime(k2026Mar01 - 1), "2026-02-28T23:59:59.999999Z");
  EXPECT_EQ(FormatTime(k2024Feb29 + 13 * kHour + 123'000), "2024-02-29T13:00:00.123Z");
  EXPECT_EQ(FormatTime(k2000Feb29), "2000-02-29T00:00:00Z");
  EXPECT_EQ(FormatTime(k2400Feb29), "2400-02-29T00:00:00Z");
  EXPECT_EQ(FormatTime(k9999Dec31End), "9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTime(kYear0000), "0000-01-01T00:00:00Z");
  EXPECT_EQ(FormatTime(k9999Dec31End + 1), "10000-01-01T00:00:00Z");  // not parseable
  // Extremes do not crash or overflow.
  EXPECT_FALSE(FormatTime(std::numeric_limits<int64_t>::min()).empty());
  EXPECT_FALSE(FormatTime(std::numeric_limits<int64_t>::max()).empty());
}

TEST(RefTimeTest, EveryDayFrom1970To2400ParsesAndFormats) {
  Civil c{1970, 1, 1};
  int leap_days = 0;
  for (int64_t day = 0; c.year <= 2400; ++day) {
    const std::string date = fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
    auto parsed = ParseTime(date);
    ASSERT_TRUE(parsed.ok()) << date << ": " << parsed.status().ToString();
    ASSERT_EQ(*parsed, day * kDay) << date;
    ASSERT_EQ(FormatTime(day * kDay), date + "T00:00:00Z");
    if (c.month == 2 && c.day == 29) ++leap_days;
    if (c.day == OracleMonthDays(c.year, c.month)) {
      // The day after the last of the month is not a date.
      const std::string past = fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day + 1);
      ASSERT_EQ(ParseTime(past).status().code(), Code::kInvalidArgument) << past;
      c.day = 1;
      if (++c.month == 13) {
        c.month = 1;
        ++c.year;
      }
    } else {
      ++c.day;
    }
  }
  EXPECT_EQ(leap_days, 105);  // every 4th year from 1972 to 2400 (108), less 2100, 2200, 2300
}

TEST(RefTimeTest, RandomInstantsRoundTrip) {
  std::mt19937_64 rng(42);
  int64_t end = 0;  // days from 1970-01-01 to 2401-01-01
  for (int y = 1970; y < 2401; ++y) end += OracleLeap(y) ? 366 : 365;
  std::uniform_int_distribution<int64_t> instant(0, end * kDay - 1);
  std::uniform_int_distribution<int> offset_minutes(-23 * 60 - 59, 23 * 60 + 59);
  for (int i = 0; i < 20'000; ++i) {
    int64_t micros = instant(rng);
    if (i % 4 == 1) micros -= micros % 1'000'000;  // whole seconds: no fraction printed
    if (i % 4 == 2) micros -= micros % 1'000;      // milliseconds
    const std::string text = FormatTime(micros);
    ASSERT_EQ(text, OracleFormat(micros)) << micros;
    auto back = ParseTime(text);
    ASSERT_TRUE(back.ok()) << text << ": " << back.status().ToString();
    ASSERT_EQ(*back, micros) << text;
    auto ref = ParseRef("@" + text);
    ASSERT_TRUE(ref.ok()) << text;
    ASSERT_EQ(*ref, Time(micros)) << text;

    // The same instant written in another zone.
    const int off = offset_minutes(rng);
    const int64_t local = micros + off * 60'000'000ll;
    if (local < 0) continue;
    const std::string local_text = OracleFormat(local);
    const std::string zoned =
        fmt::format("{}{}{:02}:{:02}", local_text.substr(0, local_text.size() - 1),
                    off < 0 ? '-' : '+', std::abs(off) / 60, std::abs(off) % 60);
    auto zoned_back = ParseTime(zoned);
    ASSERT_TRUE(zoned_back.ok()) << zoned << ": " << zoned_back.status().ToString();
    ASSERT_EQ(*zoned_back, micros) << zoned;
  }
}

TEST(RefTimeTest, LeapDaysExistOnlyInLeapYears) {
  for (int year : {1972, 1996, 2000, 2004, 2024, 2028, 2096, 2104, 2400}) {
    EXPECT_TRUE(ParseTime(fmt::format("{}-02-29", year)).ok()) << year;
  }
  for (int year : {1970, 1900, 2023, 2025, 2026, 2100, 2200, 2300, 2401}) {
    auto t = ParseTime(fmt::format("{}-02-29", year));
    EXPECT_EQ(t.status().message(),
              fmt::format("invalid time \"{}-02-29\": day 29 is out of range; {}-02 has 28 days; "
                          "use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
                          year, year));
  }
  EXPECT_EQ(*ParseTime("2024-02-29T23:59:59Z") + 1'000'000, *ParseTime("2024-03-01"));
  EXPECT_EQ(*ParseTime("2100-02-28T23:59:59Z") + 1'000'000, *ParseTime("2100-03-01"));
  EXPECT_EQ(*ParseTime("2400-12-31") + kDay, *ParseTime("2401-01-01"));
  EXPECT_EQ(*ParseTime("2401-01-01") - *ParseTime("2001-01-01"), 146'097 * kDay);  // 400 years
}

TEST(RefTimeTest, ParseTimeSaysWhatIsAccepted) {
  auto t = ParseTime("@2026-03-01");
  EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(t.status().message(),
            "invalid time \"@2026-03-01\": a date must be YYYY-MM-DD; use YYYY-MM-DD or "
            "YYYY-MM-DDTHH:MM:SSZ");
  EXPECT_EQ(ParseTime("2026-03-01T12:00:00").status().message(),
            "invalid time \"2026-03-01T12:00:00\": a time needs a zone: Z or an offset like "
            "+02:00; use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
  EXPECT_EQ(*ParseTime("2026-03-01T12:00:00Z"), k2026Mar01 + 12 * kHour);
}

// ---- resolution -----------------------------------------------------------------------------

struct FakeCommit {
  std::string hash;  // lower-case hex
  int64_t time;
  bool changes_schema = true;  // false for a deployment or a tag
};

// An in-memory log: commit i (from 0) is seq i + 1. Every call can be made to fail.
class FakeRefLookup : public RefLookup {
 public:
  std::vector<FakeCommit> commits;
  std::map<std::string, uint64_t> tags;
  std::optional<Status> fail;         // returned by every lookup when set
  std::optional<uint64_t> wrong_seq;  // returned by every lookup when set: an index bug

  uint64_t HeadSeq() override { return commits.size(); }
  Result<std::optional<uint64_t>> TagSeq(const std::string& name) override {
    if (fail) return *fail;
    if (wrong_seq) return std::optional<uint64_t>(*wrong_seq);
    auto it = tags.find(name);
    return it == tags.end() ? std::nullopt : std::optional<uint64_t>(it->second);
  }
  Result<std::vector<uint64_t>> SeqsByHashPrefix(const std::string& hex_prefix) override {
    if (fail) return *fail;
    if (wrong_seq) return std::vector<uint64_t>{*wrong_seq};
    std::vector<uint64_t> out;
    for (size_t i = 0; i < commits.size(); ++i) {
      if (commits[i].hash.rfind(hex_prefix, 0) == 0) out.push_back(i + 1);
    }
    return out;
  }
  Result<std::optional<uint64_t>> SeqAtOrBefore(int64_t unix_micros) override {
    if (fail) return *fail;
    if (wrong_seq) return std::optional<uint64_t>(*wrong_seq);
    std::optional<uint64_t> out;
    for (size_t i = 0; i < commits.size(); ++i) {
      if (commits[i].time <= unix_micros) out = i + 1;
    }
    return out;
  }
  Result<std::optional<uint64_t>> SchemaChangeBack(uint64_t seq, uint64_t back) override {
    if (fail_back) return *fail_back;
    for (uint64_t s = std::min<uint64_t>(seq, commits.size()); s >= 1; --s) {
      if (!commits[s - 1].changes_schema) continue;
      if (back == 0) return std::optional<uint64_t>(s);
      --back;
    }
    return std::optional<uint64_t>();
  }
  std::optional<Status> fail_back;  // returned by SchemaChangeBack when set
};

std::string RandomHash(std::mt19937_64& rng) {
  std::string h;
  while (h.size() < kHashHexDigits) h += fmt::format("{:016x}", rng());
  return h;
}

// 42 commits an hour apart from 2026-03-01T01:00Z. Seqs 3, 5, 17 and 40 share the hash prefix
// 9f3a; seq 5 alone starts with 9f3ab2; seq 7 alone with 1234; tags v1.0 (2) and v1.2 (10).
FakeRefLookup FortyTwoCommits() {
  FakeRefLookup log;
  std::mt19937_64 rng(7);
  for (int i = 1; i <= 42; ++i) {
    std::string hash = RandomHash(rng);
    while (hash.rfind("9f3a", 0) == 0 || hash.rfind("1234", 0) == 0) hash = RandomHash(rng);
    log.commits.push_back({hash, k2026Mar01 + i * kHour});
  }
  log.commits[2].hash.replace(0, 5, "9f3a0");
  log.commits[4].hash.replace(0, 6, "9f3ab2");
  log.commits[16].hash.replace(0, 5, "9f3a1");
  log.commits[39].hash.replace(0, 5, "9f3a4");
  log.commits[6].hash.replace(0, 4, "1234");
  log.tags = {{"v1.0", 2}, {"v1.2", 10}};
  return log;
}

void ExpectResolves(FakeRefLookup& log, const std::string& text, uint64_t want) {
  auto got = ResolveRef(text, log);
  ASSERT_TRUE(got.ok()) << text << ": " << got.status().ToString();
  EXPECT_EQ(*got, want) << text;
}

void ExpectFails(FakeRefLookup& log, const std::string& text, Code code,
                 const std::string& message) {
  auto got = ResolveRef(text, log);
  ASSERT_FALSE(got.ok()) << text << " resolved to " << *got;
  EXPECT_EQ(got.status().code(), code) << text << ": " << got.status().ToString();
  EXPECT_EQ(got.status().message(), message) << text;
}

TEST(RefResolveTest, Seqs) {
  FakeRefLookup log = FortyTwoCommits();
  ExpectResolves(log, "1", 1);
  ExpectResolves(log, "42", 42);
  ExpectResolves(log, "42~41", 1);
  ExpectResolves(log, "10~", 9);
  ExpectFails(log, "43", Code::kNotFound, "commit 43 does not exist; the log ends at seq 42");
  ExpectFails(log, "99~60", Code::kNotFound, "commit 99 does not exist; the log ends at seq 42");
  ExpectFails(log, "5~5", Code::kNotFound, "5~5 goes back past the first schema change");
  // Only a hand-built Ref can hold seq 0.
  auto zero = ResolveRef(Seq(0), log);
  EXPECT_EQ(zero.status().code(), Code::kNotFound);
  EXPECT_EQ(zero.status().message(), "commit 0 does not exist; seqs start at 1");
}

TEST(RefResolveTest, Head) {
  FakeRefLookup log = FortyTwoCommits();
  ExpectResolves(log, "HEAD", 42);
  ExpectResolves(log, "head", 42);
  ExpectResolves(log, "HEAD~", 41);
  ExpectResolves(log, "HEAD~0", 42);
  ExpectResolves(log, "HEAD~3", 39);
  ExpectResolves(log, "HEAD~~", 40);
  ExpectResolves(log, "HEAD~41", 1);
  ExpectFails(log, "HEAD~42", Code::kNotFound, "HEAD~42 goes back past the first schema change");
  ExpectFails(log, "HEAD~50", Code::kNotFound, "HEAD~50 goes back past the first schema change");
  ExpectFails(log, "head~18446744073709551615", Code::kNotFound,
              "HEAD~18446744073709551615 goes back past the first schema change");
}

TEST(RefResolveTest, EmptyLog) {
  FakeRefLookup log;
  ExpectFails(log, "HEAD", Code::kNotFound, "the log is empty");
  ExpectFails(log, "HEAD~0", Code::kNotFound, "the log is empty");
  ExpectFails(log, "HEAD~3", Code::kNotFound, "the log is empty");
  ExpectFails(log, "1", Code::kNotFound, "commit 1 does not exist; the log is empty");
  ExpectFails(log, "v1.2", Code::kNotFound, "no tag \"v1.2\"");
  ExpectFails(log, "9f3ab2", Code::kNotFound, "no commit hash starts with 9f3ab2");
  ExpectFails(log, "@2026-03-01", Code::kNotFound,
              "no commit at or before 2026-03-01T00:00:00Z; the log is empty");
}

TEST(RefResolveTest, Tags) {
  FakeRefLookup log = FortyTwoCommits();
  ExpectResolves(log, "v1.2", 10);
  ExpectResolves(log, "v1.2~2", 8);
  ExpectResolves(log, "v1.0~1", 1);
  ExpectFails(log, "v1.0~2", Code::kNotFound, "v1.0~2 goes back past the first schema change");
  ExpectFails(log, "v9", Code::kNotFound, "no tag \"v9\"");
  ExpectFails(log, "V1.2", Code::kNotFound, "no tag \"V1.2\"");  // tags are case-sensitive
  // Too short for a hash prefix, so read as a tag; the message says why it did not match.
  ExpectFails(log, "9f3", Code::kNotFound,
              "no tag \"9f3\"; a hash prefix needs at least 4 hex digits");
}

TEST(RefResolveTest, HashPrefixes) {
  FakeRefLookup log = FortyTwoCommits();
  ExpectResolves(log, "9f3ab2", 5);
  ExpectResolves(log, "9F3AB2", 5);
  ExpectResolves(log, "9f3ab2~4", 1);
  ExpectResolves(log, "#1234", 7);
  ExpectResolves(log, "9f3a0", 3);
  ExpectResolves(log, log.commits[40].hash, 41);
  ExpectResolves(log, "#" + log.commits[21].hash, 22);
  ExpectFails(log, "9f3a", Code::kInvalidArgument,
              "hash prefix 9f3a is ambiguous: it matches seqs 3, 5, 17 and 40; use more digits");
  ExpectFails(log, "#9F3A~1", Code::kInvalidArgument,
              "hash prefix 9f3a is ambiguous: it matches seqs 3, 5, 17 and 40; use more digits");
  ExpectFails(log, "9f3b", Code::kNotFound, "no commit hash starts with 9f3b");
  ExpectFails(log, "#0000000000", Code::kNotFound, "no commit hash starts with 0000000000");
  ExpectFails(log, "9f3ab2~5", Code::kNotFound, "9f3ab2~5 goes back past the first schema change");
}

TEST(RefResolveTest, AmbiguousListIsCapped) {
  FakeRefLookup log;
  for (int i = 0; i < 15; ++i) log.commits.push_back({fmt::format("abcd{:060x}", i), i});
  ExpectFails(log, "abcd", Code::kInvalidArgument,
              "hash prefix abcd is ambiguous: it matches seqs 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and "
              "5 more; use more digits");
  log.commits.resize(2);
  ExpectFails(log, "abcd", Code::kInvalidArgument,
              "hash prefix abcd is ambiguous: it matches seqs 1 and 2; use more digits");
}

TEST(RefResolveTest, Times) {
  FakeRefLookup log = FortyTwoCommits();  // seq i at 2026-03-01T00:00Z + i hours
  ExpectResolves(log, "@2026-03-01T01:00:00Z", 1);
  ExpectResolves(log, "@2026-03-01T01:59:59.999999Z", 1);
  ExpectResolves(log, "@2026-03-01T02:00:00Z", 2);
  ExpectResolves(log, "@2026-03-01T12:30:00+02:00", 10);
  ExpectResolves(log, "@2026-03-02", 24);
  ExpectResolves(log, "@2026-03-02~4", 20);
  ExpectResolves(log, "@2030-01-01", 42);
  ExpectFails(log, "@2026-03-01", Code::kNotFound,
              "no commit at or before 2026-03-01T00:00:00Z; history starts later");
  ExpectFails(log, "@2020-01-01", Code::kNotFound,
              "no commit at or before 2020-01-01T00:00:00Z; history starts later");
  ExpectFails(log, "@2026-03-01T00:59:59.5+00:00", Code::kNotFound,
              "no commit at or before 2026-03-01T00:59:59.5Z; history starts later");
  ExpectFails(log, "@2026-03-01T05:00:00Z~5", Code::kNotFound,
              "@2026-03-01T05:00:00Z~5 goes back past the first schema change");
  ExpectFails(log, "@2026-03-02~24", Code::kNotFound,
              "@2026-03-02~24 goes back past the first schema change");
}

TEST(RefResolveTest, ParseErrorsPassThrough) {
  FakeRefLookup log = FortyTwoCommits();
  ExpectFails(log, "@2026-13-01", Code::kInvalidArgument,
              "invalid ref \"@2026-13-01\": month 13 is out of range; use @YYYY-MM-DD or "
              "@YYYY-MM-DDTHH:MM:SSZ");
  ExpectFails(log, "HEAD~x", Code::kInvalidArgument,
              "invalid ref \"HEAD~x\": \"~x\" is not a count; " + std::string(kBackHint));
}

TEST(RefResolveTest, LookupErrorsKeepTheirCodeAndGainContext) {
  FakeRefLookup log = FortyTwoCommits();
  log.fail = Status::IoError("disk I/O error");
  ExpectFails(log, "v1.2", Code::kIoError, "looking up tag \"v1.2\": disk I/O error");
  ExpectFails(log, "9f3ab2", Code::kIoError, "looking up hash prefix 9f3ab2: disk I/O error");
  ExpectFails(log, "@2026-03-02", Code::kIoError,
              "looking up the commit at or before 2026-03-02T00:00:00Z: disk I/O error");
  log.fail = Status::Corruption("index row 7 is malformed");
  ExpectFails(log, "v1.0~1", Code::kCorruption,
              "looking up tag \"v1.0\": index row 7 is malformed");
  // Seqs and HEAD need nothing but the head, and ~N the schema changes.
  ExpectResolves(log, "HEAD~2", 40);
  ExpectResolves(log, "17", 17);
  log.fail_back = Status::IoError("disk I/O error");
  ExpectFails(log, "17~2", Code::kIoError, "resolving 17~2: disk I/O error");
  ExpectResolves(log, "17~0", 17);  // ~0 asks nothing
}

// ~N steps over commits that change no schema: deployments (of this database or another) and
// tags in between do not count, and a ref naming one starts from the change before it.
TEST(RefResolveTest, BackCountsSchemaChangesNotDeploymentsOrTags) {
  FakeRefLookup log;
  // 1 change, 2 deploy, 3 change, 4 deploy, 5 deploy (another db), 6 change, 7 tag, 8 deploy
  const bool changes[] = {true, false, true, false, false, true, false, false};
  for (size_t i = 0; i < std::size(changes); ++i) {
    log.commits.push_back({fmt::format("{:064x}", i + 1), k2026Mar01 + static_cast<int64_t>(i) * kHour,
                           changes[i]});
  }
  ExpectResolves(log, "HEAD", 8);
  ExpectResolves(log, "HEAD~0", 8);
  ExpectResolves(log, "HEAD~1", 3);  // 8 shows the schema of 6; one change before it is 3
  ExpectResolves(log, "HEAD~2", 1);
  ExpectResolves(log, "6~1", 3);
  ExpectResolves(log, "5~1", 1);
  ExpectResolves(log, "HEAD~~", 1);
  ExpectResolves(log, "@2026-03-01T04:30:00Z~1", 1);  // seq 5
  ExpectFails(log, "HEAD~3", Code::kNotFound, "HEAD~3 goes back past the first schema change");
  ExpectFails(log, "2~1", Code::kNotFound, "2~1 goes back past the first schema change");
}

TEST(RefResolveTest, AStepBackThatDoesNotGoBackIsInternal) {
  struct Broken : FakeRefLookup {
    Result<std::optional<uint64_t>> SchemaChangeBack(uint64_t seq, uint64_t) override {
      return std::optional<uint64_t>(seq);
    }
  } log;
  log.commits = FortyTwoCommits().commits;
  ExpectFails(log, "HEAD~1", Code::kInternal, "HEAD~1 stepped back from seq 42 to seq 42");
}

TEST(RefResolveTest, LookupNamingAMissingCommitIsInternal) {
  FakeRefLookup log = FortyTwoCommits();
  log.wrong_seq = 43;
  ExpectFails(log, "v1.2~1", Code::kInternal,
              "v1.2 resolved to seq 43, but the log ends at seq 42");
  ExpectFails(log, "9f3ab2", Code::kInternal,
              "9f3ab2 resolved to seq 43, but the log ends at seq 42");
  ExpectFails(log, "@2026-03-02", Code::kInternal,
              "@2026-03-02 resolved to seq 43, but the log ends at seq 42");
  log.wrong_seq = 0;
  ExpectFails(log, "v1.2", Code::kInternal, "v1.2 resolved to seq 0, but the log ends at seq 42");
}

// Over random logs, every commit can be reached by seq, full hash, its own time and from any
// later commit with ~N, and each way agrees.
TEST(RefResolveTest, EveryWayToNameACommitAgrees) {
  std::mt19937_64 rng(1234);
  for (int round = 0; round < 50; ++round) {
    FakeRefLookup log;
    const int n = 1 + static_cast<int>(rng() % 60);
    int64_t t = k2026Mar01 + static_cast<int64_t>(rng() % (400 * 365)) * kDay;
    for (int i = 0; i < n; ++i) {
      t += 2 + static_cast<int64_t>(rng() % (3 * kDay));  // at least 2 apart: see time + 1
      log.commits.push_back({RandomHash(rng), t});
    }
    for (uint64_t seq = 1; seq <= static_cast<uint64_t>(n); ++seq) {
      const FakeCommit& c = log.commits[seq - 1];
      ExpectResolves(log, std::to_string(seq), seq);
      ExpectResolves(log, c.hash, seq);
      ExpectResolves(log, "@" + FormatTime(c.time), seq);
      ExpectResolves(log, "@" + FormatTime(c.time + 1) + "~0", seq);
      const uint64_t back = rng() % static_cast<uint64_t>(n);
      if (back < seq) {
        ExpectResolves(log, fmt::format("{}~{}", seq, back), seq - back);
        ExpectResolves(log, fmt::format("HEAD~{}", n - seq), seq);
      }
    }
    ExpectFails(log, "@" + FormatTime(log.commits[0].time - 1), Code::kNotFound,
                fmt::format("no commit at or before {}; history starts later",
                            FormatTime(log.commits[0].time - 1)));
  }
}

}  // namespace
}  // namespace strata
