#include "adapters/dynamodb/wait.h"

#include <fmt/format.h>

#include <vector>

#include "adapters/aws/json_members.h"
#include "adapters/dynamodb/errors.h"
#include "adapters/dynamodb/table_extras.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;

// What one poll saw: whether the wait is over, and what to say about it otherwise.
struct Seen {
  bool finished = false;
  std::string what;
};

// Polls `look` until it says the wait is over. `subject` and `goal` name what is awaited, for
// messages ("table orders" to be "ACTIVE").
Status PollUntil(const std::string& subject, const Waiter& waiter, const std::string& goal,
                 const std::function<Result<Seen>()>& look) {
  if (!waiter.sleep || !waiter.now_ms) {
    return Status::InvalidArgument(
        "dynamodb: waiting needs the sleep and now_ms options (or wait turned off)");
  }
  const int64_t start = waiter.now_ms();
  std::string last;
  while (true) {
    STRATA_ASSIGN_OR_RETURN(Seen now, look());
    if (now.finished) return Status::Ok();
    const std::string& seen = now.what;
    if (waiter.now_ms() - start >= waiter.timeout_ms) {
      return Status::FailedPrecondition(fmt::format(
          "gave up after {} s waiting for {} to be {} (it is {}); run again to resume",
          waiter.timeout_ms / 1000, subject, goal, seen));
    }
    if (seen != last && waiter.on_wait) {
      waiter.on_wait(fmt::format("waiting for {} to be {} (now {})", subject, goal, seen));
    }
    last = seen;
    waiter.sleep(waiter.poll_interval_ms);
  }
}

// Polls `done` until it says yes. `goal` names what is awaited, for messages.
Status Poll(aws::JsonService& ddb, const std::string& table, const Waiter& waiter,
            const std::string& goal,
            const std::function<Result<bool>(const std::optional<std::string>&)>& done) {
  return PollUntil("table " + table, waiter, goal, [&]() -> Result<Seen> {
    STRATA_ASSIGN_OR_RETURN(std::optional<std::string> progress, TableProgress(ddb, table));
    STRATA_ASSIGN_OR_RETURN(bool finished, done(progress));
    return Seen{finished, progress.value_or("gone")};
  });
}

}  // namespace

namespace {

// DescribeTable's "Table" object; nullopt when the table does not exist.
Result<std::optional<json>> DescribeTableObject(aws::JsonService& ddb, const std::string& table) {
  aws::ServiceError error;
  auto out = CallTable(ddb, "DescribeTable", table, {{"TableName", table}}, &error);
  if (!out.ok() && IsTableNotFound(error)) return std::optional<json>();
  if (!out.ok()) return out.status();
  auto found = out->is_object() ? out->find("Table") : out->end();
  return std::optional<json>(found != out->end() && found->is_object() ? *found
                                                                        : json::object());
}

std::string ProgressOf(const json& t) {
  std::string progress = aws::JsonString(t, "TableStatus");
  std::vector<std::string> busy;
  // A change of key or warm throughput goes on after the table itself reads ACTIVE.
  auto sse = t.find("SSEDescription");
  if (sse != t.end() && sse->is_object()) {
    const std::string status = aws::JsonString(*sse, "Status");
    if (status == "UPDATING" || status == "ENABLING" || status == "DISABLING") {
      busy.push_back("encryption " + status);
    }
  }
  auto warm_status = [](const json& owner) {
    auto w = owner.find("WarmThroughput");
    return w != owner.end() && w->is_object() ? aws::JsonString(*w, "Status") : std::string();
  };
  if (std::string w = warm_status(t); !w.empty() && w != "ACTIVE") {
    busy.push_back("warm throughput " + w);
  }
  auto indexes = t.find("GlobalSecondaryIndexes");
  if (indexes != t.end() && indexes->is_array()) {
    for (const auto& g : *indexes) {
      std::string status = aws::JsonString(g, "IndexStatus");
      if (!status.empty() && status != "ACTIVE") {
        busy.push_back(fmt::format("index {} {}", aws::JsonString(g, "IndexName"), status));
      }
      if (std::string w = warm_status(g); !w.empty() && w != "ACTIVE") {
        busy.push_back(
            fmt::format("index {} warm throughput {}", aws::JsonString(g, "IndexName"), w));
      }
    }
  }
  // A replica being created, updated or deleted keeps the table from taking the next change.
  auto replicas = t.find("Replicas");
  if (replicas != t.end() && replicas->is_array()) {
    for (const auto& r : *replicas) {
      std::string status = aws::JsonString(r, "ReplicaStatus");
      if (!status.empty() && status != "ACTIVE") {
        busy.push_back(fmt::format("replica {} {}", aws::JsonString(r, "RegionName"), status));
      }
    }
  }
  for (const auto& b : busy) progress += "; " + b;
  return progress;
}

}  // namespace

Result<std::optional<std::string>> TableProgress(aws::JsonService& ddb, const std::string& table) {
  STRATA_ASSIGN_OR_RETURN(std::optional<json> t, DescribeTableObject(ddb, table));
  if (!t.has_value()) return std::optional<std::string>();
  return std::optional<std::string>(ProgressOf(*t));
}

Status WaitForReplica(aws::JsonService& ddb, const std::string& table, const std::string& region,
                      bool gone, const Waiter& waiter) {
  const std::string goal = gone ? "deleted" : "ACTIVE";
  return PollUntil(
      fmt::format("replica {} of table {}", region, table), waiter, goal, [&]() -> Result<Seen> {
        STRATA_ASSIGN_OR_RETURN(std::optional<json> t, DescribeTableObject(ddb, table));
        if (!t.has_value()) {
          return Status::NotFound(fmt::format(
              "table {} disappeared while waiting for its replica {}", table, region));
        }
        const json* replica = nullptr;
        auto list = t->find("Replicas");
        if (list != t->end() && list->is_array()) {
          for (const auto& r : *list) {
            if (aws::JsonString(r, "RegionName") == region) replica = &r;
          }
        }
        const std::string progress = ProgressOf(*t);
        // The service may answer before the new replica is listed: that counts as CREATING.
        const std::string status = replica == nullptr ? (gone ? "gone" : "not listed yet")
                                                      : aws::JsonString(*replica, "ReplicaStatus");
        if (status == "CREATION_FAILED") {
          const std::string why = aws::JsonString(*replica, "ReplicaStatusDescription");
          return Status::FailedPrecondition(fmt::format(
              "replica {} of table {} could not be created (CREATION_FAILED): {}; fix the cause "
              "and remove the replica from the table file (apply removes the failed replica), "
              "then add it again",
              region, table, why.empty() ? "DynamoDB gave no reason" : why));
        }
        const bool there = gone ? replica == nullptr : status == "ACTIVE";
        return Seen{there && progress == "ACTIVE",
                    fmt::format("replica {}, table {}", status, progress)};
      });
}

Status WaitUntilReady(aws::JsonService& ddb, const std::string& table, const Waiter& waiter) {
  return Poll(ddb, table, waiter, "ACTIVE",
              [&](const std::optional<std::string>& p) -> Result<bool> {
                if (!p.has_value()) {
                  return Status::NotFound(
                      fmt::format("table {} disappeared while waiting for it to be ACTIVE", table));
                }
                return IsReady(p);
              });
}

Status WaitUntilGone(aws::JsonService& ddb, const std::string& table, const Waiter& waiter) {
  return Poll(ddb, table, waiter, "deleted",
              [](const std::optional<std::string>& p) -> Result<bool> { return !p.has_value(); });
}

Status WaitForRecovery(aws::JsonService& ddb, const std::string& table, int days,
                       const Waiter& waiter) {
  const std::string goal =
      days == 0 ? "DISABLED" : fmt::format("ENABLED with a {}-day recovery period", days);
  return PollUntil("point-in-time recovery of table " + table, waiter, goal,
                   [&]() -> Result<Seen> {
                     STRATA_ASSIGN_OR_RETURN(RecoveryState state, ReadRecovery(ddb, table));
                     const bool finished = days == 0 ? state.status == "DISABLED"
                                                     : state.status == "ENABLED" &&
                                                           state.days == days;
                     std::string what = state.status;
                     if (state.on()) what += fmt::format(", {} days", state.days);
                     return Seen{finished, what};
                   });
}

Status WaitForPolicy(aws::JsonService& ddb, const std::string& table, const std::string& arn,
                     const std::string& revision, const Waiter& waiter) {
  const std::string goal = revision.empty() ? "removed" : "at revision " + revision;
  return PollUntil("the resource policy of table " + table, waiter, goal,
                   [&]() -> Result<Seen> {
                     STRATA_ASSIGN_OR_RETURN(PolicyState state, ReadPolicy(ddb, table, arn));
                     if (!state.supported) return Seen{true, ""};
                     if (state.policy.empty()) return Seen{revision.empty(), "absent"};
                     return Seen{!revision.empty() && state.revision == revision,
                                 "at revision " + state.revision};
                   });
}

Status WaitForInsights(aws::JsonService& ddb, const std::string& table, const std::string& index,
                       const std::string& mode, const Waiter& waiter) {
  const std::string subject = index.empty()
                                  ? "contributor insights of table " + table
                                  : "contributor insights of global index " + index +
                                        " of table " + table;
  const std::string goal = mode.empty() ? "DISABLED" : "ENABLED (" + mode + ")";
  return PollUntil(subject, waiter, goal, [&]() -> Result<Seen> {
    STRATA_ASSIGN_OR_RETURN(InsightsState state, ReadInsights(ddb, table, index));
    if (!state.supported) return Seen{true, ""};
    if (state.status == "FAILED") {
      return Status::FailedPrecondition(fmt::format(
          "{} FAILED: {}; fix the cause (CloudWatch Contributor Insights rule limits or "
          "permissions for the account), then run strata apply again",
          subject, state.failure.empty() ? "DynamoDB gave no reason" : state.failure));
    }
    // A table or index that never had insights may name no mode; the service's default then.
    const std::string now_mode = state.mode.empty() ? "ACCESSED_AND_THROTTLED_KEYS" : state.mode;
    const bool finished = mode.empty() ? state.status == "DISABLED"
                                       : state.status == "ENABLED" && now_mode == mode;
    return Seen{finished, state.on() ? state.status + " (" + now_mode + ")" : state.status};
  });
}

Status WaitForKinesis(aws::JsonService& ddb, const std::string& table,
                      const std::string& stream_arn, const std::string& precision,
                      const Waiter& waiter) {
  const std::string subject = "Kinesis stream " + stream_arn + " of table " + table;
  const std::string goal = precision.empty() ? "DISABLED" : "ACTIVE (" + precision + ")";
  return PollUntil(subject, waiter, goal, [&]() -> Result<Seen> {
    STRATA_ASSIGN_OR_RETURN(KinesisState state, ReadKinesis(ddb, table));
    if (!state.supported) return Seen{true, ""};
    const KinesisDestinationState* d = nullptr;
    for (const auto& x : state.destinations) {
      if (x.stream_arn == stream_arn) d = &x;
    }
    if (d == nullptr) return Seen{precision.empty(), "not listed"};
    if (d->status == "ENABLE_FAILED" && !precision.empty()) {
      return Status::FailedPrecondition(fmt::format(
          "{} could not be enabled (ENABLE_FAILED): {}; check that the stream exists, is ACTIVE "
          "and may be written by DynamoDB, then run strata apply again",
          subject, d->description.empty() ? "DynamoDB gave no reason" : d->description));
    }
    const std::string now_precision = d->precision.empty() ? "MILLISECOND" : d->precision;
    const bool finished = precision.empty()
                              ? d->status == "DISABLED"
                              : d->status == "ACTIVE" && now_precision == precision;
    return Seen{finished, d->status + " (" + now_precision + ")"};
  });
}

}  // namespace strata::dynamodb
