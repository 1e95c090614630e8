// Glue's refusals as messages that name the database or table and say what to do next.
#include "adapters/glue/errors.h"

#include <gtest/gtest.h>

#include "tests/adapters/glue/fake_glue.h"

namespace strata::glue {
namespace {

using nlohmann::json;
using strata::testing::FakeGlue;

aws::ServiceError Refusal(const std::string& code, const std::string& message) {
  aws::ServiceError e;
  e.http_status = 400;
  e.code = code;
  e.message = message;
  return e;
}

// The AWS core's own status for a refusal (what the JsonService returns).
Status CoreStatus(Code code, const std::string& api, const aws::ServiceError& e) {
  return Status(code, "glue " + api + ": " + e.code + ": " + e.message);
}

Status Explain(const std::string& api, const std::string& object, Code core_code,
               const std::string& code, const std::string& message) {
  const aws::ServiceError e = Refusal(code, message);
  return ExplainError(api, object, CoreStatus(core_code, api, e), e);
}

TEST(ExplainError, AMissingTable) {
  Status s = Explain("UpdateTable", "sales.orders", Code::kNotFound, "EntityNotFoundException",
                     "Table orders not found.");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(),
            "table sales.orders does not exist (UpdateTable); it may have been deleted since "
            "strata read the catalog: run strata plan again");
}

TEST(ExplainError, AMissingDatabaseOfATable) {
  Status s = Explain("CreateTable", "sales.orders", Code::kNotFound, "EntityNotFoundException",
                     "Database sales not found.");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(),
            "database sales of table sales.orders does not exist (CreateTable); it may have been "
            "deleted since strata read the catalog: run strata plan again");
}

TEST(ExplainError, AMissingDatabase) {
  Status s = Explain("GetTables", "sales", Code::kNotFound, "EntityNotFoundException",
                     "Database sales not found.");
  EXPECT_EQ(s.message(),
            "database sales does not exist (GetTables); it may have been deleted since strata "
            "read the catalog: run strata plan again");
}

TEST(ExplainError, AlreadyExists) {
  Status s = Explain("CreateTable", "sales.orders", Code::kAlreadyExists,
                     "AlreadyExistsException", "Table already exists.");
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  EXPECT_EQ(s.message(),
            "table sales.orders already exists: it was created since strata read the catalog; "
            "run strata plan again (or strata import to record it) (Glue: Table already exists.)");
}

TEST(ExplainError, AConcurrentModificationSaysToPlanAgain) {
  Status s = Explain("UpdateTable", "sales.orders", Code::kFailedPrecondition,
                     "ConcurrentModificationException", "version mismatch");
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "table sales.orders changed since it was read (UpdateTable refused: version "
            "mismatch); run strata plan again to see it as it is now");
}

TEST(ExplainError, InvalidInputPointsAtTheSchemaFiles) {
  Status s = Explain("CreateTable", "sales.orders", Code::kInvalidArgument,
                     "InvalidInputException", "Parameters not supported for partition columns");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "Glue rejected CreateTable for table sales.orders: Parameters not supported for "
            "partition columns; fix its definition in the schema files and record it with strata "
            "generate");
}

TEST(ExplainError, AccessDeniedNamesThePermission) {
  Status s = Explain("GetTables", "sales", Code::kFailedPrecondition, "AccessDeniedException",
                     "User is not authorized");
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "the credentials may not call glue:GetTables on database sales (User is not "
            "authorized); grant that permission (and Lake Formation's, if the catalog uses it) or "
            "use another profile");
}

TEST(ExplainError, ThrottlingSaysToWaitOrAskLessAtOnce) {
  Status s = Explain("GetTables", "analytics", Code::kUnavailable, "ThrottlingException",
                     "Rate exceeded");
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(s.message(),
            "Glue kept throttling GetTables for database analytics after retries (Rate "
            "exceeded); wait a minute and run the command again, or send fewer requests at once "
            "with --concurrency");
}

TEST(ExplainError, TheVersionLimit) {
  Status s = Explain("UpdateTable", "sales.orders", Code::kFailedPrecondition,
                     "ResourceNumberLimitExceededException", "too many versions");
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("UpdateTable for table sales.orders: a Glue limit was reached"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("BatchDeleteTableVersion"), std::string::npos);
}

TEST(ExplainError, AnythingElseKeepsTheCoreMessageWithTheObject) {
  Status s = Explain("GetTable", "sales.orders", Code::kFailedPrecondition,
                     "InternalServiceException", "boom");
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "GetTable for table sales.orders: glue GetTable: InternalServiceException: boom");
}

TEST(CallGlue, SendsTheCatalogIdAndFillsTheError) {
  FakeGlue glue;
  aws::ServiceError error;
  auto r = CallGlue({&glue, "210987654321"}, "GetDatabase", "sales", {{"Name", "sales"}}, &error);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(IsEntityNotFound(error));
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(glue.calls().at(0).input,
            (json{{"Name", "sales"}, {"CatalogId", "210987654321"}}));
  // Without a catalog id the caller's own catalog is meant: no CatalogId at all.
  glue.AddDatabase("sales");
  r = CallGlue({&glue, ""}, "GetDatabase", "sales", {{"Name", "sales"}}, &error);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(error.code, "");
  EXPECT_EQ(glue.calls().at(1).input, (json{{"Name", "sales"}}));
}

}  // namespace
}  // namespace strata::glue
