// Reading YAML streams: what yaml-cpp 0.7 would loop on (allocating until the machine runs out)
// becomes a syntax error at the offending character, and ordinary streams read as LoadAll reads
// them.
#include "adapters/common/yaml_documents.h"

#include <gtest/gtest.h>

#include <string>

namespace strata::common {
namespace {

// The place and message of the error LoadYamlDocuments throws for `text`, or "no error".
std::string ErrorFor(const std::string& text) {
  try {
    LoadYamlDocuments(text);
  } catch (const YAML::Exception& e) {
    return std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + " " +
           e.msg;
  }
  return "no error";
}

// Found by the dynamodb_table fuzz target: a comma outside any flow collection (after a quoted
// scalar, or after the brace that closed a JSON document early) made YAML::LoadAll append empty
// documents forever, past 2 GB in seconds.
TEST(YamlDocumentsTest, AStrayCommaAfterAQuotedScalarIsAnErrorAtTheComma) {
  EXPECT_EQ(ErrorFor("\"\","),
            "1:3 unexpected ',' outside any [ ] or { }; check that the brackets before it pair up");
  EXPECT_EQ(ErrorFor("'orders',\n"),
            "1:9 unexpected ',' outside any [ ] or { }; check that the brackets before it pair up");
}

TEST(YamlDocumentsTest, ALoneCommaOnALaterLineIsPlacedOnItsLine) {
  EXPECT_EQ(ErrorFor("---\n,\n").substr(0, 18), "2:1 unexpected ','");
}

// yaml-cpp's own errors pass through with their place.
TEST(YamlDocumentsTest, OtherSyntaxErrorsKeepYamlCppsMessage) {
  EXPECT_EQ(ErrorFor("a: [1, 2\n"), "2:1 end of sequence flow not found");
}

TEST(YamlDocumentsTest, StreamsReadAsLoadAllReadsThem) {
  EXPECT_TRUE(LoadYamlDocuments("").empty());
  EXPECT_TRUE(LoadYamlDocuments("# only a comment\n").empty());
  const auto one = LoadYamlDocuments("table: orders\nkeys: [a, b]\n");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0]["table"].as<std::string>(), "orders");
  EXPECT_EQ(one[0]["keys"][1].as<std::string>(), "b");
  const auto two = LoadYamlDocuments("a: 1\n---\nb: 2\n");
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1]["b"].as<int>(), 2);
}

// Empty documents each start at their own `---`, so they are not mistaken for a stuck parser.
TEST(YamlDocumentsTest, EmptyDocumentsInARowAreNotAnError) {
  const auto docs = LoadYamlDocuments("---\n---\n---\n");
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_TRUE(docs[0].IsNull());
  EXPECT_TRUE(docs[2].IsNull());
}

}  // namespace
}  // namespace strata::common
