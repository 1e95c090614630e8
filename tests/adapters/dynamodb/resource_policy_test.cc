#include "adapters/dynamodb/resource_policy.h"

#include <gtest/gtest.h>

namespace strata::dynamodb {
namespace {

std::string Norm(const std::string& text) {
  auto r = NormalizeResourcePolicy(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : "";
}

constexpr const char* kPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "read", "Effect": "Allow",
     "Principal": {"AWS": ["arn:aws:iam::111122223333:role/b", "arn:aws:iam::111122223333:role/a"]},
     "Action": ["dynamodb:Query", "dynamodb:GetItem"],
     "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
     "Condition": {"StringEquals": {"aws:PrincipalTag/team": "payments"}}},
    {"Sid": "deny", "Effect": "Deny", "Principal": "*", "Action": "dynamodb:DeleteTable",
     "Resource": "*"}
  ]
})";

TEST(NormalizeResourcePolicy, KeyOrderAndWhitespaceDoNotMatter) {
  const std::string reordered = R"({"Statement":[{"Resource":"*","Action":"dynamodb:DeleteTable",
    "Principal":"*","Effect":"Deny","Sid":"deny"},{"Condition":{"StringEquals":
    {"aws:PrincipalTag/team":"payments"}},"Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/orders",
    "Action":["dynamodb:Query","dynamodb:GetItem"],"Principal":{"AWS":[
    "arn:aws:iam::111122223333:role/b","arn:aws:iam::111122223333:role/a"]},"Effect":"Allow",
    "Sid":"read"}],"Version":"2012-10-17"})";
  EXPECT_EQ(Norm(kPolicy), Norm(reordered));
}

TEST(NormalizeResourcePolicy, OneValueEqualsAOneElementListAndListOrderIsIgnored) {
  const std::string a = R"({"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:x"},
    "Action":"dynamodb:GetItem","Resource":"*",
    "Condition":{"StringEquals":{"k":"v"}}}})";
  const std::string b = R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:x"]},
    "Action":["dynamodb:GetItem","dynamodb:GetItem"],"Resource":["*"],
    "Condition":{"StringEquals":{"k":["v"]}}}]})";
  EXPECT_EQ(Norm(a), Norm(b));
  EXPECT_EQ(Norm(R"({"Statement":[{"Effect":"Allow","Action":["b","a"],"Resource":"*"}]})"),
            Norm(R"({"Statement":[{"Effect":"Allow","Action":["a","b"],"Resource":"*"}]})"));
}

TEST(NormalizeResourcePolicy, StatementOrderAndRepeatsAreIgnored) {
  const std::string s1 = R"({"Effect":"Allow","Action":"a","Resource":"*"})";
  const std::string s2 = R"({"Effect":"Deny","Action":"b","Resource":"*"})";
  EXPECT_EQ(Norm(R"({"Statement":[)" + s1 + "," + s2 + "]}"),
            Norm(R"({"Statement":[)" + s2 + "," + s1 + "," + s2 + "]}"));
}

TEST(NormalizeResourcePolicy, WhatIamReadsDifferentlyStaysDifferent) {
  const std::string base = R"({"Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}]})";
  EXPECT_NE(Norm(base), Norm(R"({"Statement":[{"Effect":"Deny","Action":"dynamodb:GetItem","Resource":"*"}]})"));
  EXPECT_NE(Norm(base), Norm(R"({"Statement":[{"Effect":"Allow","Action":"dynamodb:Query","Resource":"*"}]})"));
  // Case is kept, and "*" is not rewritten to {"AWS": "*"}.
  EXPECT_NE(Norm(base), Norm(R"({"Statement":[{"Effect":"Allow","Action":"dynamodb:getitem","Resource":"*"}]})"));
  EXPECT_NE(Norm(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"a"}]})"),
            Norm(R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"a"}]})"));
  // A version is part of the document.
  EXPECT_NE(Norm(base), Norm(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"}]})"));
}

TEST(NormalizeResourcePolicy, TheFormIsCompactSortedAndStable) {
  const std::string once = Norm(kPolicy);
  EXPECT_EQ(once.find(' '), std::string::npos);
  EXPECT_EQ(once.rfind(R"({"Statement":[{"Action":["dynamodb:DeleteTable"],"Effect":"Deny")", 0), 0u)
      << once;
  EXPECT_EQ(Norm(once), once) << "normalising twice changes nothing";
  EXPECT_EQ(Norm(PrettyResourcePolicy(once)), once) << "the indented form reads back the same";
}

TEST(NormalizeResourcePolicy, RefusesWhatIsNotAPolicyDocument) {
  auto bad_json = NormalizeResourcePolicy("{\"Statement\": [");
  ASSERT_FALSE(bad_json.ok());
  EXPECT_EQ(bad_json.status().message(),
            "resource policy is not valid JSON; write the policy document as JSON text");
  auto array = NormalizeResourcePolicy("[]");
  ASSERT_FALSE(array.ok());
  EXPECT_NE(array.status().message().find("is a JSON array, not a policy document"),
            std::string::npos);
  auto no_statement = NormalizeResourcePolicy(R"({"Version":"2012-10-17"})");
  ASSERT_FALSE(no_statement.ok());
  EXPECT_NE(no_statement.status().message().find("has no Statement"), std::string::npos);
  auto bad_statement = NormalizeResourcePolicy(R"({"Statement":["x"]})");
  ASSERT_FALSE(bad_statement.ok());
  EXPECT_NE(bad_statement.status().message().find("statement 1 is string, not an object"),
            std::string::npos);
}

TEST(NormalizeResourcePolicy, RefusesPoliciesAboveTheServiceLimit) {
  std::string actions;
  for (int i = 0; i < 1500; ++i) actions += (i ? "," : "") + std::string("\"dynamodb:A") + std::to_string(i) + "\"";
  auto big = NormalizeResourcePolicy(R"({"Statement":[{"Effect":"Allow","Resource":"*","Action":[)" +
                                     actions + "]}]}");
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("DynamoDB accepts at most 20480"), std::string::npos)
      << big.status().message();
}

}  // namespace
}  // namespace strata::dynamodb
