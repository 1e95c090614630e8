#include "adapters/dynamodb/table_extras.h"

#include "adapters/dynamodb/errors.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;

std::string Text(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& Member(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it != object.end() ? *it : kNull;
}

}  // namespace

Result<RecoveryState> ReadRecovery(aws::JsonService& ddb, const std::string& table) {
  aws::ServiceError error;
  auto out = CallTable(ddb, "DescribeContinuousBackups", table, {{"TableName", table}}, &error);
  RecoveryState state;
  if (!out.ok() && error.code == "UnknownOperationException") {
    state.supported = false;
    return state;
  }
  if (!out.ok()) return out.status();
  const json& pitr = Member(Member(*out, "ContinuousBackupsDescription"),
                            "PointInTimeRecoveryDescription");
  const std::string status = Text(pitr, "PointInTimeRecoveryStatus");
  if (!status.empty()) state.status = status;
  if (state.on()) {
    const json& days = Member(pitr, "RecoveryPeriodInDays");
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
  state.policy = Text(*out, "Policy");
  state.revision = Text(*out, "RevisionId");
  return state;
}

}  // namespace strata::dynamodb
