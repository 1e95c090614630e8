#include "adapters/aws/xml_text.h"

#include <gtest/gtest.h>

namespace strata::aws {
namespace {

constexpr char kAssumeRole[] = R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::123:assumed-role/r/s</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>se&amp;cret/+</SecretAccessKey>
      <SessionToken>tok&lt;en&gt;</SessionToken>
      <Expiration>2026-03-01T12:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
</AssumeRoleResponse>)";

TEST(XmlTextTest, FindsElementsAndDecodesEntities) {
  EXPECT_EQ(XmlText(kAssumeRole, "AccessKeyId"), "ASIAEXAMPLE");
  EXPECT_EQ(XmlText(kAssumeRole, "SecretAccessKey"), "se&cret/+");
  EXPECT_EQ(XmlText(kAssumeRole, "SessionToken", "Credentials"), "tok<en>");
  EXPECT_EQ(XmlText(kAssumeRole, "Arn", "AssumedRoleUser"), "arn:aws:sts::123:assumed-role/r/s");
}

TEST(XmlTextTest, MissingElementOrParentIsNullopt) {
  EXPECT_EQ(XmlText(kAssumeRole, "Nope"), std::nullopt);
  EXPECT_EQ(XmlText(kAssumeRole, "AccessKeyId", "Error"), std::nullopt);
  EXPECT_EQ(XmlText("<a><b>unterminated</a>", "b"), std::nullopt);
}

TEST(XmlTextTest, NamesMatchWholeAndIgnoreNamespacePrefixes) {
  EXPECT_EQ(XmlText("<CodeX>1</CodeX><Code>2</Code>", "Code"), "2");
  EXPECT_EQ(XmlText("<s:Code>3</s:Code>", "Code"), "3");
  EXPECT_EQ(XmlText("<Code/><Message>m</Message>", "Code"), "");
  EXPECT_EQ(XmlText(R"(<Code attr="x">4</Code>)", "Code"), "4");
}

TEST(XmlTextTest, NumericReferencesBecomeUtf8AndUnknownEntitiesStay) {
  EXPECT_EQ(XmlUnescape("&#65;&#x42;&#x1234;"), "AB\xE1\x88\xB4");
  EXPECT_EQ(XmlUnescape("&bogus; & &#xZZ;"), "&bogus; & &#xZZ;");
  EXPECT_EQ(XmlUnescape("&quot;&apos;"), "\"'");
}

}  // namespace
}  // namespace strata::aws
