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

TEST(JsonDocumentTest, ANumberAtTheEndOfALineStaysOnThatLine) {
  Result<JsonDocument> doc = JsonDocument::Parse("[1,\n2\n,\n3]", "d.json");
  ASSERT_TRUE(doc.ok());
  using P = JsonDocument::Pointer;
  EXPECT_EQ(doc->LineOf(P("/1")), 2);
  EXPECT_EQ(doc->LineOf(P("/2")), 4);
}

}  // namespace
}  // namespace strata::dynamodb
