#include "adapters/dynamodb/json_document.h"

#include <gtest/gtest.h>

namespace strata::dynamodb {
namespace {


TEST(JsonDocumentTest, RemembersTheLineOfEveryValue) {
  Result<JsonDocument> doc = JsonDocument::Parse(R"({
  "a": 1,
  "b": [
    true,
    {"c/d": "x",
     "e~f": 2.5}
  ]
})",
                                                 "d.json");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  using P = JsonDocument::Pointer;
  EXPECT_EQ(doc->LineOf(P("")), 1);
  EXPECT_EQ(doc->LineOf(P("/a")), 2);
  EXPECT_EQ(doc->LineOf(P("/b")), 3);
  EXPECT_EQ(doc->LineOf(P("/b/0")), 4);
  EXPECT_EQ(doc->LineOf(P("/b/1")), 5);
  EXPECT_EQ(doc->LineOf(P("/b/1/c~1d")), 5);
  EXPECT_EQ(doc->LineOf(P("/b/1/e~0f")), 6);
  EXPECT_EQ(doc->LineOf(P("/b/1/missing/deeper")), 5);  // nearest ancestor
  EXPECT_EQ(doc->root()["b"][1]["e~f"], 2.5);
  EXPECT_EQ(doc->ErrorAt(P("/b/0"), "no").message(), "d.json:4: no");
}

// Found by the dynamodb_table fuzz target (tests/fuzz/dynamodb_table_seeds/deep_brackets): 5,000
// '[' kept a pointer per level, each as long as its depth, and timed out; 100,000 would have
// asked for gigabytes.
TEST(JsonDocumentTest, NestingDeeperThan64LevelsIsRefusedAtItsLine) {
  const std::string ok = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(JsonDocument::Parse(ok, "d.json").ok());
  Result<JsonDocument> deep = JsonDocument::Parse("\n" + std::string(100000, '['), "d.json");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().message(), "d.json:2: invalid JSON: nested deeper than 64 levels");
}

TEST(JsonDocumentTest, ANumberAtTheEndOfALineStaysOnThatLine) {
  Result<JsonDocument> doc = JsonDocument::Parse("[1,\n2\n,\n3]", "d.json");
  ASSERT_TRUE(doc.ok());
  using P = JsonDocument::Pointer;
  EXPECT_EQ(doc->LineOf(P("/1")), 2);
  EXPECT_EQ(doc->LineOf(P("/2")), 4);
}

}  // namespace
}  // namespace strata::dynamodb
