#include "adapters/dynamodb/errors.h"

#include <gtest/gtest.h>

#include "tests/adapters/dynamodb/fake_dynamodb.h"

namespace strata::dynamodb {
namespace {

Status Explain(std::string_view api, const std::string& code, const std::string& message) {
  aws::ServiceError e;
  e.http_status = 400;
  e.code = code;
  e.message = message;
  return ExplainError(api, "orders", Status::FailedPrecondition("dynamodb: " + message), e);
}

TEST(ExplainError, ResourceInUseSaysWhatTheTableIsDoing) {
  Status s = Explain("UpdateTable", "ResourceInUseException", "Table is being updated");
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "table orders is being updated; try again when it is ACTIVE (DynamoDB: Table is "
            "being updated)");
  s = Explain("DeleteTable", "ResourceInUseException", "Table is being created: orders");
  EXPECT_EQ(s.message(),
            "table orders is being created; try again when it is ACTIVE (DynamoDB: Table is "
            "being created: orders)");
  s = Explain("CreateTable", "ResourceInUseException", "Table already exists: orders");
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  EXPECT_EQ(s.message(),
            "table orders already exists (or is still being deleted); DynamoDB: Table already "
            "exists: orders");
}

TEST(ExplainError, NotFoundLimitAndValidation) {
  Status s = Explain("UpdateTable", "ResourceNotFoundException", "Requested resource not found");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "table orders does not exist (UpdateTable)");
  // The short code some compatible servers answer means the same.
  s = Explain("DescribeTimeToLive", "ResourceNotFound", "Table not found");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "table orders does not exist (DescribeTimeToLive)");

  s = Explain("UpdateTable", "LimitExceededException", "Only 1 online index at a time");
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "UpdateTable for table orders: a DynamoDB limit was reached: Only 1 online index at "
            "a time; wait for the tables and indexes being created or deleted to finish, then "
            "try again");

  s = Explain("UpdateTable", "ValidationException", "Table already has an enabled stream");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "UpdateTable for table orders rejected: Table already has an enabled stream");

  s = Explain("DeleteTable", "ValidationException",
              "Resource cannot be deleted as it is currently protected against deletion. "
              "Disable deletion protection first.");
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message().rfind("table orders has deletion protection enabled; turn it off", 0), 0u);
}

TEST(ExplainError, OtherErrorsKeepTheCoreMessageAndCode) {
  aws::ServiceError e;
  e.http_status = 400;
  e.code = "UnrecognizedClientException";
  e.message = "The security token included in the request is invalid.";
  Status core(Code::kFailedPrecondition,
              "dynamodb UpdateTable: UnrecognizedClientException: The security token included "
              "in the request is invalid.");
  Status s = ExplainError("UpdateTable", "orders", core, e);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "UpdateTable for table orders: dynamodb UpdateTable: UnrecognizedClientException: "
            "The security token included in the request is invalid.");

  Status down(Code::kUnavailable, "dynamodb: connection refused");
  s = ExplainError("DescribeTable", "orders", down, aws::ServiceError{});
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_EQ(s.message(), "DescribeTable for table orders: dynamodb: connection refused");
}

TEST(CallTable, PassesTheAnswerThroughAndFillsTheError) {
  strata::testing::FakeDynamoDb ddb;
  aws::ServiceError e;
  auto out = CallTable(ddb, "DescribeTable", "nothing", {{"TableName", "nothing"}}, &e);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(e.code, "ResourceNotFoundException");
  EXPECT_EQ(out.status().message(), "table nothing does not exist (DescribeTable)");
  out = CallTable(ddb, "ListTables", "", nlohmann::json::object());
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE((*out)["TableNames"].empty());
}

}  // namespace
}  // namespace strata::dynamodb
