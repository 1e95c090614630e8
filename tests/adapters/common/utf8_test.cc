// The UTF-8 check shared by the file readers: which sequences are well-formed (the boundaries
// protobuf draws), and where the first bad byte is reported.
#include "adapters/common/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace strata::common {
namespace {

TEST(Utf8Test, LengthsOfWellFormedSequences) {
  EXPECT_EQ(Utf8Length("a", 0), 1u);
  EXPECT_EQ(Utf8Length("\xc3\xa9", 0), 2u);          // é
  EXPECT_EQ(Utf8Length("\xe2\x82\xac", 0), 3u);      // €
  EXPECT_EQ(Utf8Length("\xf0\x9f\x98\x80", 0), 4u);  // U+1F600
  EXPECT_EQ(Utf8Length("\xf4\x8f\xbf\xbf", 0), 4u);  // U+10FFFF, the last code point
}

TEST(Utf8Test, IllFormedSequencesHaveNoLength) {
  for (const std::string bad : {"\x80", "\xc0\xaf", "\xc3", "\xe0\x80\xaf", "\xed\xa0\x80",
                                "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xe2\x82"}) {
    EXPECT_EQ(Utf8Length(bad, 0), 0u) << testing::PrintToString(bad);
  }
}

TEST(Utf8Test, TheFirstBadByteIsPlacedByLineAndCharacter) {
  EXPECT_FALSE(FindInvalidUtf8("plain\nand \xc3\xa9 too\n").has_value());
  const auto bad = FindInvalidUtf8("line one\n\xc3\xa9t\xa7 here");
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->line, 2);
  EXPECT_EQ(bad->column, 3);  // é and t come first, one character each
  EXPECT_EQ(bad->byte, 0xa7);
}

}  // namespace
}  // namespace strata::common
