#include "adapters/dynamodb/table_extras.h"

#include "adapters/aws/json_members.h"
#include "adapters/dynamodb/errors.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;

}  // namespace

bool IsUnsupportedOperation(const aws::ServiceError& error) {
  return error.code == "UnknownOperationException" || error.code == aws::kHtmlErrorPage;
}

Result<InsightsState> ReadInsights(aws::JsonService& ddb, const std::string& table,
                                   const std::string& index) {
  json input = {{"TableName", table}};
  if (!index.empty()) input["IndexName"] = index;
  aws::ServiceError error;
  auto out = CallTable(ddb, "DescribeContributorInsights", table, input, &error);
  InsightsState state;
  if (!out.ok() && IsUnsupportedOperation(error)) {
    state.supported = false;
    return state;
  }
  if (!out.ok()) return out.status();
  const std::string status = aws::JsonString(*out, "ContributorInsightsStatus");
  if (!status.empty()) state.status = status;
  state.mode = aws::JsonString(*out, "ContributorInsightsMode");
  const json& failure = aws::JsonMember(*out, "FailureException");
  if (failure.is_object()) {
    state.failure = aws::JsonString(failure, "ExceptionName");
    const std::string description = aws::JsonString(failure, "ExceptionDescription");
    if (!description.empty()) {
      state.failure += (state.failure.empty() ? "" : ": ") + description;
    }
  }
  return state;
}

Result<KinesisState> ReadKinesis(aws::JsonService& ddb, const std::string& table) {
  aws::ServiceError error;
  auto out = CallTable(ddb, "DescribeKinesisStreamingDestination", table,
                       {{"TableName", table}}, &error);
  KinesisState state;
  if (!out.ok() && IsUnsupportedOperation(error)) {
    state.supported = false;
    return state;
  }
  if (!out.ok()) return out.status();
  const json& list = aws::JsonMember(*out, "KinesisDataStreamDestinations");
  if (!list.is_array()) return state;
  for (const auto& d : list) {
    state.destinations.push_back({aws::JsonString(d, "StreamArn"),
                                  aws::JsonString(d, "DestinationStatus"),
                                  aws::JsonString(d, "ApproximateCreationDateTimePrecision"),
                                  aws::JsonString(d, "DestinationStatusDescription")});
  }
  return state;
}

Result<RecoveryState> ReadRecovery(aws::JsonService& ddb, const std::string& table) {
  aws::ServiceError error;
  auto out = CallTable(ddb, "DescribeContinuousBackups", table, {{"TableName", table}}, &error);
  RecoveryState state;
  if (!out.ok() && error.code == "UnknownOperationException") {
    state.supported = false;
    return state;
  }
  if (!out.ok()) return out.status();
  const json& pitr = aws::JsonMember(aws::JsonMember(*out, "ContinuousBackupsDescription"),
                                     "PointInTimeRecoveryDescription");
  const std::string status = aws::JsonString(pitr, "PointInTimeRecoveryStatus");
  if (!status.empty()) state.status = status;
  if (state.on()) {
    const json& days = aws::JsonMember(pitr, "RecoveryPeriodInDays");
    state.days = days.is_number_integer() ? days.get<int>() : 35;  // the service's default
  }
  return state;
}

Result<PolicyState> ReadPolicy(aws::JsonService& ddb, const std::string& table,
                               const std::string& arn) {
  aws::ServiceError error;
  auto out = CallTable(ddb, "GetResourcePolicy", table, {{"ResourceArn", arn}}, &error);
  PolicyState state;
  if (!out.ok() && error.code == "PolicyNotFoundException") return state;
  if (!out.ok() && error.code == "UnknownOperationException") {
    state.supported = false;
    return state;
  }
  if (!out.ok()) return out.status();
  state.policy = aws::JsonString(*out, "Policy");
  state.revision = aws::JsonString(*out, "RevisionId");
  return state;
}

}  // namespace strata::dynamodb
