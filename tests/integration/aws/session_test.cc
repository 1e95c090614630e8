// Signed calls judged by moto: glue and sts through a Session, with the test user's keys.
#include "adapters/aws/session.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/moto.h"

namespace strata::aws {
namespace {

using testing::LoadMotoIdentity;
using testing::MotoSessionOptions;

TEST(SessionMotoTest, GlueCreateDatabaseThenGetDatabasesListsIt) {
  auto id = LoadMotoIdentity();
  auto session = Session::Open(MotoSessionOptions(id));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  auto glue = (*session)->Json("glue");
  ASSERT_TRUE(glue.ok()) << glue.status().ToString();
  std::string name = testing::UniqueName("db");
  auto created = (*glue)->Call("CreateDatabase", {{"DatabaseInput", {{"Name", name}}}}, nullptr);
  ASSERT_TRUE(created.ok()) << created.status().ToString();

  auto listed = (*glue)->Call("GetDatabases", nlohmann::json::object(), nullptr);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  bool found = false;
  for (const auto& db : (*listed)["DatabaseList"]) found = found || db["Name"] == name;
  EXPECT_TRUE(found) << listed->dump();
}

TEST(SessionMotoTest, GlueMissingDatabaseIsNotFoundWithTheServiceCode) {
  auto id = LoadMotoIdentity();
  auto session = Session::Open(MotoSessionOptions(id));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  auto glue = (*session)->Json("glue");
  ASSERT_TRUE(glue.ok());
  ServiceError error;
  auto got = (*glue)->Call("GetDatabase", {{"Name", "no_such_db_here"}}, &error);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), Code::kNotFound) << got.status().ToString();
  EXPECT_EQ(error.code, "EntityNotFoundException");
  EXPECT_EQ(error.http_status, 400);
  EXPECT_EQ(got.status().message().rfind("glue GetDatabase: EntityNotFoundException", 0), 0u)
      << got.status().message();
}

TEST(SessionMotoTest, CallerIsTheIamUser) {
  auto id = LoadMotoIdentity();
  auto session = Session::Open(MotoSessionOptions(id));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  auto caller = (*session)->Caller();
  ASSERT_TRUE(caller.ok()) << caller.status().ToString();
  EXPECT_EQ(caller->arn, id.user_arn);
  EXPECT_EQ(caller->account, id.account);
}

}  // namespace
}  // namespace strata::aws

namespace strata::aws {
namespace {

TEST(SessionMotoTest, DynamoDbCreateTableThenListTables) {
  auto id = testing::LoadMotoIdentity();
  auto session = Session::Open(testing::MotoSessionOptions(id));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  auto ddb = (*session)->Json("dynamodb");
  ASSERT_TRUE(ddb.ok());
  std::string name = testing::UniqueName("t");
  nlohmann::json input = {
      {"TableName", name},
      {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}}}},
      {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}}},
      {"BillingMode", "PAY_PER_REQUEST"}};
  auto created = (*ddb)->Call("CreateTable", input, nullptr);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto listed = (*ddb)->Call("ListTables", nlohmann::json::object(), nullptr);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_NE(std::find((*listed)["TableNames"].begin(), (*listed)["TableNames"].end(), name),
            (*listed)["TableNames"].end())
      << listed->dump();
}

TEST(SessionMotoTest, WrongSecretIsRejectedWithAClearMessageWithoutTheSecret) {
  auto id = testing::LoadMotoIdentity();
  id.secret_access_key = "wrongSECRETwrongSECRETwrongSECRET0123456";
  auto session = Session::Open(testing::MotoSessionOptions(id));
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  auto glue = (*session)->Json("glue");
  ASSERT_TRUE(glue.ok());
  ServiceError error;
  auto got = (*glue)->Call("GetDatabases", nlohmann::json::object(), &error);
  ASSERT_FALSE(got.ok());
  const std::string& message = got.status().message();
  EXPECT_EQ(got.status().code(), Code::kFailedPrecondition) << message;
  EXPECT_NE(message.find("the glue endpoint rejected the credentials ("), std::string::npos)
      << message;
  EXPECT_NE(message.find("check AWS_PROFILE / AWS_ACCESS_KEY_ID"), std::string::npos) << message;
  EXPECT_EQ(message.find(id.secret_access_key), std::string::npos) << message;
  EXPECT_EQ(error.message.find(id.secret_access_key), std::string::npos);
  EXPECT_EQ(error.http_status, 403);
}

}  // namespace
}  // namespace strata::aws
