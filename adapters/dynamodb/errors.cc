#include "adapters/dynamodb/errors.h"

#include <fmt/format.h>

namespace strata::dynamodb {
namespace {

bool Mentions(const std::string& text, std::string_view word) {
  return text.find(word) != std::string::npos;
}

Status InUse(std::string_view api, const std::string& table, const aws::ServiceError& error) {
  if (api == "CreateTable") {
    return Status::AlreadyExists(fmt::format(
        "table {} already exists (or is still being deleted); DynamoDB: {}", table,
        error.message));
  }
  if (Mentions(error.message, "being created") || Mentions(error.message, "CREATING")) {
    return Status::FailedPrecondition(fmt::format(
        "table {} is being created; try again when it is ACTIVE (DynamoDB: {})", table,
        error.message));
  }
  if (Mentions(error.message, "being deleted") || Mentions(error.message, "DELETING")) {
    return Status::FailedPrecondition(
        fmt::format("table {} is being deleted (DynamoDB: {})", table, error.message));
  }
  return Status::FailedPrecondition(fmt::format(
      "table {} is being updated; try again when it is ACTIVE (DynamoDB: {})", table,
      error.message));
}

Status Rejected(std::string_view api, const std::string& table, const aws::ServiceError& error) {
  if (Mentions(error.message, "protected against deletion") ||
      Mentions(error.message, "deletion protection")) {
    return Status::FailedPrecondition(fmt::format(
        "table {} has deletion protection enabled; turn it off before deleting the table "
        "(DynamoDB: {})",
        table, error.message));
  }
  return Status::InvalidArgument(
      fmt::format("{} for table {} rejected: {}", api, table, error.message));
}

}  // namespace

bool IsTableNotFound(const aws::ServiceError& error) {
  return error.code == "ResourceNotFoundException" || error.code == "ResourceNotFound" ||
         error.code == "TableNotFoundException";
}

Status ExplainError(std::string_view api, const std::string& table, const Status& status,
                    const aws::ServiceError& error) {
  const std::string& code = error.code;
  if (code == "ResourceInUseException") return InUse(api, table, error);
  if (IsTableNotFound(error)) {
    return Status::NotFound(fmt::format("table {} does not exist ({})", table, api));
  }
  if (code == "LimitExceededException") {
    return Status::FailedPrecondition(fmt::format(
        "{} for table {}: a DynamoDB limit was reached: {}; wait for the tables and indexes "
        "being created or deleted to finish, then try again",
        api, table, error.message));
  }
  if (code == "ValidationException") return Rejected(api, table, error);
  return status.WithContext(fmt::format("{} for table {}", api, table));
}

Result<nlohmann::json> CallTable(aws::JsonService& ddb, std::string_view api,
                                 const std::string& table, const nlohmann::json& input,
                                 aws::ServiceError* error) {
  aws::ServiceError local;
  aws::ServiceError* e = error != nullptr ? error : &local;
  *e = aws::ServiceError{};
  auto result = ddb.Call(api, input, e);
  if (!result.ok()) return ExplainError(api, table, result.status(), *e);
  return result;
}

}  // namespace strata::dynamodb
