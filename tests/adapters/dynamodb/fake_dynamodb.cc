#include "tests/adapters/dynamodb/fake_dynamodb.h"

#include <fmt/format.h>

#include <algorithm>

namespace strata::testing {
namespace {

using nlohmann::json;

const std::set<std::string> kCreateTableFields = {
    "AttributeDefinitions", "TableName", "KeySchema", "LocalSecondaryIndexes",
    "GlobalSecondaryIndexes", "BillingMode", "ProvisionedThroughput", "StreamSpecification",
    "SSESpecification", "Tags", "TableClass", "DeletionProtectionEnabled", "OnDemandThroughput",
    "WarmThroughput", "ResourcePolicy"};

std::string Arn(const std::string& table) {
  return "arn:aws:dynamodb:us-east-1:123456789012:table/" + table;
}

bool Defines(const json& definitions, const std::string& attribute) {
  for (const auto& d : definitions) {
    if (d.value("AttributeName", "") == attribute) return true;
  }
  return false;
}

json Throughput(const json& in) {
  return {{"ReadCapacityUnits", in.value("ReadCapacityUnits", 0)},
          {"WriteCapacityUnits", in.value("WriteCapacityUnits", 0)},
          {"NumberOfDecreasesToday", 0}};
}

// What DescribeTable shows: a maximum of -1 is none, and none at all is no member.
json OnDemand(const json& in) {
  json out = json::object();
  for (const char* k : {"MaxReadRequestUnits", "MaxWriteRequestUnits"}) {
    if (in.contains(k) && in[k].get<int64_t>() > 0) out[k] = in[k];
  }
  return out;
}

// The warm throughput the service starts a table or index with.
json DefaultWarm(const json& provisioned, bool on_demand) {
  if (on_demand) {
    return {{"ReadUnitsPerSecond", 12000}, {"WriteUnitsPerSecond", 4000}, {"Status", "ACTIVE"}};
  }
  return {{"ReadUnitsPerSecond", provisioned.value("ReadCapacityUnits", 0)},
          {"WriteUnitsPerSecond", provisioned.value("WriteCapacityUnits", 0)},
          {"Status", "ACTIVE"}};
}

json Sse(const json& spec) {
  return {{"Status", "ENABLED"},
          {"SSEType", "KMS"},
          {"KMSMasterKeyArn", FakeKeyArn(spec.value("KMSMasterKeyId", "alias/aws/dynamodb"))}};
}

}  // namespace

std::string FakeKeyArn(const std::string& name) {
  const std::string prefix = "arn:aws:kms:us-east-1:123456789012:";
  if (name.rfind(prefix + "key/", 0) == 0) return name;
  std::string alias;
  if (name.rfind("alias/", 0) == 0) alias = name.substr(6);
  if (name.rfind(prefix + "alias/", 0) == 0) alias = name.substr(prefix.size() + 6);
  if (alias == "aws/dynamodb") return prefix + "key/aws-dynamodb-key";
  if (!alias.empty()) return prefix + "key/key-for-" + alias;
  return prefix + "key/" + name;
}

Result<json> FakeKms::Call(std::string_view operation, const json& input, aws::ServiceError* error) {
  ++calls;
  if (operation == "DescribeKey" && input.contains("KeyId")) {
    return json{{"KeyMetadata", {{"Arn", FakeKeyArn(input["KeyId"].get<std::string>())}}}};
  }
  if (error != nullptr) error->code = "ValidationException";
  return Status::InvalidArgument("kms: unexpected call");
}

void FakeDynamoDb::FailNext(const std::string& operation, const std::string& code,
                            const std::string& message) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_next_[operation] = {code, message};
}

std::vector<FakeDynamoDb::Recorded> FakeDynamoDb::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

std::vector<std::string> FakeDynamoDb::mutations() const {
  std::vector<std::string> out;
  for (const auto& c : calls()) {
    if (c.operation.rfind("Describe", 0) == 0 || c.operation.rfind("List", 0) == 0 ||
        c.operation.rfind("Get", 0) == 0) {
      continue;
    }
    out.push_back(c.operation);
  }
  return out;
}

size_t FakeDynamoDb::count(const std::string& operation) const {
  auto all = calls();
  return std::count_if(all.begin(), all.end(),
                       [&](const Recorded& c) { return c.operation == operation; });
}

bool FakeDynamoDb::has_table(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  return tables_.count(name) > 0;
}

json FakeDynamoDb::table(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tables_.find(name);
  return it == tables_.end() ? json() : it->second.desc;
}

void FakeDynamoDb::Edit(const std::string& name, const std::function<void(json&)>& edit) {
  std::lock_guard<std::mutex> lock(mu_);
  edit(tables_.at(name).desc);
}

void FakeDynamoDb::Seed(const json& create_input) {
  std::lock_guard<std::mutex> lock(mu_);
  const int saved = transient_describes;
  transient_describes = 0;
  auto r = CreateTable(create_input);
  transient_describes = saved;
  if (!r.ok()) throw std::runtime_error("Seed: " + error_code_ + ": " + error_message_);
}

Result<json> FakeDynamoDb::Call(std::string_view operation, const json& input,
                                aws::ServiceError* error) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string op(operation);
  calls_.push_back({op, input});
  error_code_.clear();
  error_message_.clear();
  Result<json> out = json::object();
  auto injected = fail_next_.find(op);
  if (injected != fail_next_.end()) {
    error_code_ = injected->second.first;
    error_message_ = injected->second.second;
    fail_next_.erase(injected);
    out = Status::FailedPrecondition("injected");
  } else {
    out = Dispatch(op, input);
  }
  if (out.ok()) return out;
  if (error != nullptr) {
    error->http_status = 400;
    error->code = error_code_;
    error->message = error_message_;
  }
  return Status::FailedPrecondition(
      fmt::format("dynamodb {}: {}: {}", op, error_code_, error_message_));
}

Result<json> FakeDynamoDb::Dispatch(const std::string& op, const json& in) {
  auto fail = [&](const char* code, std::string message) -> Result<json> {
    error_code_ = code;
    error_message_ = std::move(message);
    return Status::FailedPrecondition(error_message_);
  };
  if (op == "ListTables") return ListTables(in);
  if (op == "DescribeTable") return DescribeTable(in);
  if (op == "CreateTable") return CreateTable(in);
  if (op == "UpdateTable") return UpdateTable(in);
  if (op == "DeleteTable") return DeleteTable(in);
  if (op == "DescribeTimeToLive") return DescribeTimeToLive(in);
  if (op == "UpdateTimeToLive") return UpdateTimeToLive(in);
  if (op == "ListTagsOfResource" || op == "TagResource" || op == "UntagResource") {
    if (!tagging) return fail("UnknownOperationException", "Tagging is not supported.");
    return Tags(op, in);
  }
  if (op == "DescribeContinuousBackups" || op == "UpdateContinuousBackups") {
    if (!backups) return fail("UnknownOperationException", "unknown operation " + op);
    return Backups(op, in);
  }
  if (op == "GetResourcePolicy" || op == "PutResourcePolicy" || op == "DeleteResourcePolicy") {
    if (!policies) return fail("UnknownOperationException", "unknown operation " + op);
    return Policy(op, in);
  }
  if (op == "DescribeContributorInsights" || op == "UpdateContributorInsights") {
    if (!insights) return fail("UnknownOperationException", "unknown operation " + op);
    return Insights(op, in);
  }
  if (op.find("KinesisStreamingDestination") != std::string::npos) {
    if (!kinesis) return fail("UnknownOperationException", "unknown operation " + op);
    return Kinesis(op, in);
  }
  return fail("UnknownOperationException", "unknown operation " + op);
}

#define FAKE_FAIL(code, message)                     \
  do {                                               \
    error_code_ = code;                              \
    error_message_ = message;                        \
    return Status::FailedPrecondition(error_message_); \
  } while (0)

Result<FakeDynamoDb::TableRec*> FakeDynamoDb::Find(const json& in) {
  std::string name = in.value("TableName", "");
  if (name.empty() && in.contains("ResourceArn")) {
    std::string arn = in["ResourceArn"].get<std::string>();
    name = arn.substr(arn.rfind('/') + 1);
    if (arn != Arn(name)) FAKE_FAIL("ValidationException", "Invalid ResourceArn " + arn);
  }
  auto it = tables_.find(name);
  if (it == tables_.end()) {
    FAKE_FAIL("ResourceNotFoundException", "Requested resource not found: Table: " + name +
                                               " not found");
  }
  return &it->second;
}

Result<json> FakeDynamoDb::ListTables(const json& in) {
  const int limit = std::min(in.value("Limit", 100), list_page_size);
  const std::string start = in.value("ExclusiveStartTableName", "");
  json names = json::array();
  std::string last;
  for (auto it = tables_.upper_bound(start); it != tables_.end(); ++it) {
    if (static_cast<int>(names.size()) == limit) {
      json out = {{"TableNames", names}, {"LastEvaluatedTableName", last}};
      return out;
    }
    names.push_back(it->first);
    last = it->first;
  }
  return json{{"TableNames", names}};
}

// Each DescribeTable moves transient statuses one step closer to their end.
void FakeDynamoDb::Advance(const std::string& name) {
  TableRec& t = tables_.at(name);
  if (t.countdown > 0 && --t.countdown == 0) {
    if (t.desc["TableStatus"] == "DELETING") {
      tables_.erase(name);
      return;
    }
    t.desc["TableStatus"] = "ACTIVE";
  }
  if (t.settings_countdown > 0 && --t.settings_countdown == 0) {
    if (t.desc.contains("SSEDescription")) {
      if (t.desc["SSEDescription"]["Status"] == "DISABLING") {
        t.desc.erase("SSEDescription");
      } else {
        t.desc["SSEDescription"]["Status"] = "ENABLED";
      }
    }
    if (t.desc.contains("WarmThroughput")) t.desc["WarmThroughput"]["Status"] = "ACTIVE";
    for (auto& g : t.desc["GlobalSecondaryIndexes"]) {
      if (g.contains("WarmThroughput")) g["WarmThroughput"]["Status"] = "ACTIVE";
    }
  }
  json& indexes = t.desc["GlobalSecondaryIndexes"];
  for (auto& [index, left] : t.index_countdown) {
    if (left == 0 || --left > 0) continue;
    for (size_t i = 0; i < indexes.size(); ++i) {
      if (indexes[i]["IndexName"] != index) continue;
      if (indexes[i]["IndexStatus"] == "DELETING") {
        indexes.erase(i);
      } else {
        indexes[i]["IndexStatus"] = "ACTIVE";
      }
      break;
    }
  }
  if (indexes.empty()) t.desc.erase("GlobalSecondaryIndexes");
  AdvanceReplicas(&t);
}

void FakeDynamoDb::AdvanceReplicas(TableRec* t) {
  if (!t->desc.contains("Replicas")) return;
  json& replicas = t->desc["Replicas"];
  for (auto& [region, left] : t->replica_countdown) {
    if (left == 0 || --left > 0) continue;
    for (size_t i = 0; i < replicas.size(); ++i) {
      if (replicas[i]["RegionName"] != region) continue;
      if (replicas[i]["ReplicaStatus"] == "DELETING") {
        replicas.erase(i);
      } else if (region == failing_replica_region) {
        replicas[i]["ReplicaStatus"] = "CREATION_FAILED";
        replicas[i]["ReplicaStatusDescription"] =
            "KMS key in " + region + " is not accessible";
      } else {
        replicas[i]["ReplicaStatus"] = "ACTIVE";
      }
      break;
    }
  }
  if (replicas.empty()) t->desc.erase("Replicas");
}

// One replica Create or Delete per call, alone; the service's own rules for global tables.
Status FakeDynamoDb::UpdateReplicas(const json& in, TableRec* t) {
  json& d = t->desc;
  if (in.size() != 2) {
    FAKE_FAIL("ValidationException", "ReplicaUpdates cannot be combined with other updates");
  }
  const json& updates = in["ReplicaUpdates"];
  int creates_or_deletes = 0;
  for (const auto& u : updates) creates_or_deletes += u.contains("Create") || u.contains("Delete");
  if (creates_or_deletes > 1) {
    FAKE_FAIL("ValidationException",
              "Only one replica can be created or deleted per UpdateTable request");
  }
  if (d.value("/BillingModeSummary/BillingMode"_json_pointer, std::string("PROVISIONED")) !=
      "PAY_PER_REQUEST") {
    FAKE_FAIL("ValidationException",
              "Table write capacity should either be Pay-Per-Request or AutoScaled.");
  }
  if (d.value("/StreamSpecification/StreamViewType"_json_pointer, std::string()) !=
      "NEW_AND_OLD_IMAGES") {
    FAKE_FAIL("ValidationException",
              "Table must have DynamoDB Streams enabled with NEW_AND_OLD_IMAGES to add replicas");
  }
  json& replicas = d["Replicas"];
  if (replicas.is_null()) replicas = json::array();
  for (const auto& u : updates) {
    const std::string kind = u.contains("Create") ? "Create" : u.contains("Delete") ? "Delete"
                                                                                     : "Update";
    const json& body = u[kind];
    const std::string region = body.value("RegionName", "");
    json* found = nullptr;
    for (auto& r : replicas) {
      if (r["RegionName"] == region) found = &r;
    }
    if (region == this->region || (kind == "Create" && found != nullptr)) {
      FAKE_FAIL("ValidationException",
                "Cannot add, delete, or update the local region through ReplicaUpdates. Use "
                "CreateTable, DeleteTable, or UpdateTable as required.");
    }
    if (kind != "Create" && found == nullptr) {
      FAKE_FAIL("ValidationException", "Replica specified in the Replica Update or Replica "
                                       "Delete action of the request was not found.");
    }
    const std::string status = kind == "Create" ? "CREATING" : kind == "Delete" ? "DELETING"
                                                                                 : "UPDATING";
    if (kind == "Create") {
      json r = body;
      replicas.push_back(std::move(r));
      found = &replicas.back();
    } else if (kind == "Update") {
      for (const auto& [k, v] : body.items()) (*found)[k] = v;
      if (found->contains("OnDemandThroughputOverride") &&
          (*found)["OnDemandThroughputOverride"].value("MaxReadRequestUnits", 0) == -1) {
        found->erase("OnDemandThroughputOverride");
      }
    }
    if (found->contains("TableClassOverride")) {
      (*found)["ReplicaTableClassSummary"] = {{"TableClass", (*found)["TableClassOverride"]}};
      found->erase("TableClassOverride");
    }
    (*found)["ReplicaStatus"] = transient_describes > 0 ? status : "ACTIVE";
    if (transient_describes > 0) {
      t->replica_countdown[region] = transient_describes;
      d["TableStatus"] = "UPDATING";
      t->countdown = transient_describes;
    } else if (kind == "Delete") {
      replicas.erase(std::remove_if(replicas.begin(), replicas.end(),
                                    [&](const json& r) { return r["RegionName"] == region; }),
                     replicas.end());
    } else if (region == failing_replica_region) {
      (*found)["ReplicaStatus"] = "CREATION_FAILED";
    }
  }
  d["GlobalTableVersion"] = "2019.11.21";
  if (replicas.empty()) d.erase("Replicas");
  return Status::Ok();
}

Result<json> FakeDynamoDb::DescribeTable(const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t, Find(in));
  json out = {{"Table", t->desc}};
  Advance(in["TableName"].get<std::string>());
  return out;
}

Result<json> FakeDynamoDb::CreateTable(const json& in) {
  for (const auto& [key, _] : in.items()) {
    if (!kCreateTableFields.count(key)) {
      FAKE_FAIL("ValidationException", "CreateTable does not take " + key);
    }
  }
  const std::string name = in.value("TableName", "");
  if (tables_.count(name)) FAKE_FAIL("ResourceInUseException", "Table already exists: " + name);
  const std::string billing = in.value("BillingMode", "PROVISIONED");
  if (billing == "PROVISIONED" && !in.contains("ProvisionedThroughput")) {
    FAKE_FAIL("ValidationException", "No provisioned throughput specified for the table");
  }
  TableRec t;
  json& d = t.desc;
  d = {{"TableName", name},
       {"TableStatus", transient_describes > 0 ? "CREATING" : "ACTIVE"},
       {"TableArn", Arn(name)},
       {"AttributeDefinitions", in["AttributeDefinitions"]},
       {"KeySchema", in["KeySchema"]},
       {"ItemCount", 0},
       {"TableSizeBytes", 0},
       {"DeletionProtectionEnabled", in.value("DeletionProtectionEnabled", false)}};
  if (in.contains("ResourcePolicy")) {
    t.policy = in["ResourcePolicy"].get<std::string>();
    t.policy_revision = 1;
    t.policy_blocked = policy_block_calls;
  }
  d["ProvisionedThroughput"] = Throughput(in.value("ProvisionedThroughput", json::object()));
  if (billing == "PAY_PER_REQUEST") d["BillingModeSummary"] = {{"BillingMode", billing}};
  if (in.contains("TableClass")) d["TableClassSummary"] = {{"TableClass", in["TableClass"]}};
  if (in.value("/StreamSpecification/StreamEnabled"_json_pointer, false)) {
    d["StreamSpecification"] = in["StreamSpecification"];
  }
  if (in.contains("LocalSecondaryIndexes")) d["LocalSecondaryIndexes"] = in["LocalSecondaryIndexes"];
  const bool on_demand = billing == "PAY_PER_REQUEST";
  if (in.contains("OnDemandThroughput")) {
    if (!on_demand) FAKE_FAIL("ValidationException", "OnDemandThroughput needs PAY_PER_REQUEST");
    d["OnDemandThroughput"] = OnDemand(in["OnDemandThroughput"]);
  }
  d["WarmThroughput"] = DefaultWarm(d["ProvisionedThroughput"], on_demand);
  if (in.contains("WarmThroughput")) {
    d["WarmThroughput"] = in["WarmThroughput"];
    d["WarmThroughput"]["Status"] = transient_describes > 0 ? "UPDATING" : "ACTIVE";
  }
  if (in.value("/SSESpecification/Enabled"_json_pointer, false)) {
    d["SSEDescription"] = Sse(in["SSESpecification"]);
  }
  for (auto g : in.value("GlobalSecondaryIndexes", json::array())) {
    if (billing == "PROVISIONED" && !g.contains("ProvisionedThroughput")) {
      FAKE_FAIL("ValidationException", "No provisioned throughput specified for the global "
                                       "secondary index");
    }
    g["ProvisionedThroughput"] = Throughput(g.value("ProvisionedThroughput", json::object()));
    if (g.contains("OnDemandThroughput")) g["OnDemandThroughput"] = OnDemand(g["OnDemandThroughput"]);
    if (g.contains("WarmThroughput")) {
      g["WarmThroughput"]["Status"] = transient_describes > 0 ? "UPDATING" : "ACTIVE";
    } else {
      g["WarmThroughput"] = DefaultWarm(g["ProvisionedThroughput"], on_demand);
    }
    g["IndexStatus"] = "ACTIVE";
    d["GlobalSecondaryIndexes"].push_back(g);
  }
  for (const auto& tag : in.value("Tags", json::array())) {
    t.tags[tag["Key"].get<std::string>()] = tag["Value"].get<std::string>();
  }
  t.ttl = {{"TimeToLiveStatus", "DISABLED"}};
  t.countdown = transient_describes;
  t.settings_countdown = transient_describes;
  tables_[name] = std::move(t);
  return json{{"TableDescription", tables_[name].desc}};
}

Status FakeDynamoDb::UpdateIndexes(const json& updates, const json& definitions, TableRec* t) {
  json& indexes = t->desc["GlobalSecondaryIndexes"];
  if (indexes.is_null()) indexes = json::array();
  const bool provisioned = t->desc.value("/BillingModeSummary/BillingMode"_json_pointer,
                                         std::string("PROVISIONED")) == "PROVISIONED";
  int creates_or_deletes = 0;
  for (const auto& u : updates) creates_or_deletes += u.contains("Create") + u.contains("Delete");
  if (creates_or_deletes > 1) {
    FAKE_FAIL("LimitExceededException",
              "Subscriber limit exceeded: Only 1 online index can be created or deleted "
              "simultaneously per table");
  }
  for (const auto& u : updates) {
    if (u.contains("Create")) {
      json g = u["Create"];
      for (const auto& k : g["KeySchema"]) {
        if (!Defines(definitions, k["AttributeName"])) {
          FAKE_FAIL("ValidationException", "Global Secondary Index key attribute not defined");
        }
        if (!Defines(t->desc["AttributeDefinitions"], k["AttributeName"])) {
          for (const auto& d : definitions) {
            if (d["AttributeName"] == k["AttributeName"]) t->desc["AttributeDefinitions"].push_back(d);
          }
        }
      }
      if (provisioned && !g.contains("ProvisionedThroughput")) {
        FAKE_FAIL("ValidationException", "No provisioned throughput for the new index");
      }
      g["ProvisionedThroughput"] = Throughput(g.value("ProvisionedThroughput", json::object()));
      g["IndexStatus"] = transient_describes > 0 ? "CREATING" : "ACTIVE";
      t->index_countdown[g["IndexName"]] = transient_describes;
      indexes.push_back(g);
      continue;
    }
    const json& op = u.contains("Delete") ? u["Delete"] : u["Update"];
    auto it = std::find_if(indexes.begin(), indexes.end(),
                           [&](const json& g) { return g["IndexName"] == op["IndexName"]; });
    if (it == indexes.end()) FAKE_FAIL("ResourceNotFoundException", "Index not found");
    if (u.contains("Delete")) {
      (*it)["IndexStatus"] = transient_describes > 0 ? "DELETING" : "ACTIVE";
      if (transient_describes == 0) {
        indexes.erase(it);
      } else {
        t->index_countdown[op["IndexName"]] = transient_describes;
      }
    } else {
      if (op.contains("ProvisionedThroughput")) {
        (*it)["ProvisionedThroughput"] = Throughput(op["ProvisionedThroughput"]);
      }
      if (op.contains("OnDemandThroughput")) {
        if (provisioned) FAKE_FAIL("ValidationException", "OnDemandThroughput needs PAY_PER_REQUEST");
        (*it)["OnDemandThroughput"] = OnDemand(op["OnDemandThroughput"]);
      }
      if (op.contains("WarmThroughput")) {
        const json& now = (*it)["WarmThroughput"];
        for (const char* k : {"ReadUnitsPerSecond", "WriteUnitsPerSecond"}) {
          if (!op["WarmThroughput"].contains(k)) continue;
          if (now.contains(k) && op["WarmThroughput"][k].get<int64_t>() < now[k].get<int64_t>()) {
            FAKE_FAIL("ValidationException",
                      "One or more parameter values were invalid: Requested ReadUnitsPerSecond "
                      "for WarmThroughput for index is lower than current WarmThroughput, "
                      "decreasing WarmThroughput is not supported");
          }
        }
        (*it)["WarmThroughput"] = op["WarmThroughput"];
        (*it)["WarmThroughput"]["Status"] = transient_describes > 0 ? "UPDATING" : "ACTIVE";
        t->settings_countdown = transient_describes;
      }
    }
  }
  if (indexes.empty()) t->desc.erase("GlobalSecondaryIndexes");
  return Status::Ok();
}

// SSESpecification, OnDemandThroughput and WarmThroughput of the table.
Status FakeDynamoDb::UpdateSettings(const json& in, TableRec* t) {
  json& d = t->desc;
  for (const char* alone : {"SSESpecification", "WarmThroughput"}) {
    if (in.contains(alone) && in.size() > 2) {
      FAKE_FAIL("ValidationException", std::string(alone) + " is changed on its own");
    }
  }
  const bool provisioned = d.value("/BillingModeSummary/BillingMode"_json_pointer,
                                   std::string("PROVISIONED")) == "PROVISIONED";
  const std::string billing = in.value("BillingMode", provisioned ? "PROVISIONED" : "PAY_PER_REQUEST");
  if (in.contains("OnDemandThroughput")) {
    if (billing == "PROVISIONED") {
      FAKE_FAIL("ValidationException", "OnDemandThroughput needs PAY_PER_REQUEST");
    }
    json merged = d.value("OnDemandThroughput", json::object());
    for (const auto& [k, v] : in["OnDemandThroughput"].items()) merged[k] = v;
    d["OnDemandThroughput"] = OnDemand(merged);
    if (d["OnDemandThroughput"].empty()) d.erase("OnDemandThroughput");
  }
  if (in.contains("WarmThroughput")) {
    const json& now = d["WarmThroughput"];
    for (const char* k : {"ReadUnitsPerSecond", "WriteUnitsPerSecond"}) {
      if (!in["WarmThroughput"].contains(k)) continue;
      if (now.contains(k) && in["WarmThroughput"][k].get<int64_t>() < now[k].get<int64_t>()) {
        FAKE_FAIL("ValidationException",
                  "One or more parameter values were invalid: Requested ReadUnitsPerSecond for "
                  "WarmThroughput for table is lower than current WarmThroughput, decreasing "
                  "WarmThroughput is not supported");
      }
    }
    d["WarmThroughput"] = in["WarmThroughput"];
    d["WarmThroughput"]["Status"] = transient_describes > 0 ? "UPDATING" : "ACTIVE";
    t->settings_countdown = transient_describes;
  }
  if (in.contains("SSESpecification")) {
    const bool enable = in["SSESpecification"].value("Enabled", false);
    if (enable) {
      d["SSEDescription"] = Sse(in["SSESpecification"]);
      if (transient_describes > 0) d["SSEDescription"]["Status"] = "UPDATING";
    } else if (d.contains("SSEDescription")) {
      d["SSEDescription"]["Status"] = "DISABLING";
      if (transient_describes == 0) d.erase("SSEDescription");
    }
    t->settings_countdown = transient_describes;
  }
  return Status::Ok();
}

Result<json> FakeDynamoDb::UpdateTable(const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t, Find(in));
  json& d = t->desc;
  if (d["TableStatus"] != "ACTIVE") {
    FAKE_FAIL("ResourceInUseException", "Attempt to change a resource which is still in use: "
                                        "Table is being " + d["TableStatus"].get<std::string>());
  }
  for (const auto& g : d.value("GlobalSecondaryIndexes", json::array())) {
    if (g["IndexStatus"] != "ACTIVE") {
      FAKE_FAIL("ResourceInUseException",
                "Attempt to change a resource which is still in use: Index is being updated");
    }
  }
  if (t->settings_countdown > 0) {
    FAKE_FAIL("ResourceInUseException", "Attempt to change a resource which is still in use: "
                                        "Table is being updated (encryption or warm throughput)");
  }
  if (in.size() <= 1) FAKE_FAIL("ValidationException", "Nothing to update");
  for (const auto& [region, status] : t->replica_countdown) {
    if (status > 0) {
      FAKE_FAIL("ResourceInUseException", "Attempt to change a resource which is still in use: "
                                          "a replica is being changed");
    }
  }
  if (in.contains("ReplicaUpdates")) {
    STRATA_RETURN_IF_ERROR(UpdateReplicas(in, t));
    return json{{"TableDescription", d}};
  }
  if (in.contains("StreamSpecification") && d.contains("Replicas")) {
    FAKE_FAIL("ValidationException", "The stream of a table with replicas cannot be changed");
  }
  STRATA_RETURN_IF_ERROR(UpdateSettings(in, t));
  bool slow = false;
  if (in.contains("BillingMode")) {
    d["BillingModeSummary"] = {{"BillingMode", in["BillingMode"]}};
    slow = true;
  }
  if (in.contains("ProvisionedThroughput")) {
    d["ProvisionedThroughput"] = Throughput(in["ProvisionedThroughput"]);
    slow = true;
  }
  if (in.contains("GlobalSecondaryIndexUpdates")) {
    STRATA_RETURN_IF_ERROR(UpdateIndexes(in["GlobalSecondaryIndexUpdates"],
                                         in.value("AttributeDefinitions", json::array()), t));
  }
  if (in.contains("StreamSpecification")) {
    const bool enable = in["StreamSpecification"]["StreamEnabled"];
    const bool enabled = d.value("/StreamSpecification/StreamEnabled"_json_pointer, false);
    if (enable && enabled) FAKE_FAIL("ValidationException", "Table already has an enabled stream");
    if (!enable && !enabled) FAKE_FAIL("ValidationException", "Table has no stream to disable");
    if (enable) {
      d["StreamSpecification"] = in["StreamSpecification"];
    } else {
      d.erase("StreamSpecification");
    }
    slow = true;
  }
  if (in.contains("TableClass")) {
    d["TableClassSummary"] = {{"TableClass", in["TableClass"]}};
    slow = true;
  }
  if (in.contains("DeletionProtectionEnabled")) {
    d["DeletionProtectionEnabled"] = in["DeletionProtectionEnabled"];
  }
  if (slow && transient_describes > 0) {
    d["TableStatus"] = "UPDATING";
    t->countdown = transient_describes;
  }
  return json{{"TableDescription", d}};
}

Result<json> FakeDynamoDb::DeleteTable(const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t, Find(in));
  if (t->desc.value("DeletionProtectionEnabled", false)) {
    FAKE_FAIL("ValidationException",
              "Resource cannot be deleted as it is currently protected against deletion. "
              "Disable deletion protection first.");
  }
  if (t->desc["TableStatus"] != "ACTIVE") {
    FAKE_FAIL("ResourceInUseException", "Attempt to change a resource which is still in use: "
                                        "Table is being " + t->desc["TableStatus"].get<std::string>());
  }
  if (t->desc.contains("Replicas")) {
    FAKE_FAIL("ValidationException", "Table has replicas; delete them before the table");
  }
  json out = {{"TableDescription", t->desc}};
  const std::string name = in["TableName"];
  if (transient_describes > 0) {
    t->desc["TableStatus"] = "DELETING";
    t->countdown = transient_describes;
  } else {
    tables_.erase(name);
  }
  return out;
}

Result<json> FakeDynamoDb::DescribeTimeToLive(const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t, Find(in));
  return json{{"TimeToLiveDescription", t->ttl}};
}

Result<json> FakeDynamoDb::UpdateTimeToLive(const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t, Find(in));
  const json& spec = in["TimeToLiveSpecification"];
  const bool enable = spec["Enabled"];
  const bool enabled = t->ttl["TimeToLiveStatus"] == "ENABLED";
  if (enable && enabled) FAKE_FAIL("ValidationException", "TimeToLive is already enabled");
  if (!enable && !enabled) FAKE_FAIL("ValidationException", "TimeToLive is already disabled");
  if (!enable && t->ttl["AttributeName"] != spec["AttributeName"]) {
    FAKE_FAIL("ValidationException", "TimeToLive attribute name does not match");
  }
  // The service documents the refusal, not its words; these are the fake's own.
  if (now_ms && t->ttl_changed_ms && now_ms() - *t->ttl_changed_ms < 60 * 60 * 1000) {
    FAKE_FAIL("ValidationException",
              "Time to live has been modified multiple times within a fixed interval");
  }
  if (now_ms) t->ttl_changed_ms = now_ms();
  t->ttl = enable ? json{{"TimeToLiveStatus", "ENABLED"}, {"AttributeName", spec["AttributeName"]}}
                  : json{{"TimeToLiveStatus", "DISABLED"}};
  return json{{"TimeToLiveSpecification", spec}};
}

Result<json> FakeDynamoDb::Tags(const std::string& op, const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t, Find(in));
  if (op == "TagResource") {
    for (const auto& tag : in["Tags"]) t->tags[tag["Key"]] = tag["Value"];
    return json::object();
  }
  if (op == "UntagResource") {
    for (const auto& key : in["TagKeys"]) t->tags.erase(key.get<std::string>());
    return json::object();
  }
  json tags = json::array();
  for (const auto& [k, v] : t->tags) tags.push_back({{"Key", k}, {"Value", v}});
  return json{{"Tags", tags}};
}

Result<json> FakeDynamoDb::Backups(const std::string& op, const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t, Find(in));
  if (op == "UpdateContinuousBackups") {
    const json& spec = in.at("PointInTimeRecoverySpecification");
    const bool enable = spec.at("PointInTimeRecoveryEnabled").get<bool>();
    const int days = spec.value("RecoveryPeriodInDays", 35);
    if (days < 1 || days > 35) {
      FAKE_FAIL("ValidationException", "RecoveryPeriodInDays must be between 1 and 35");
    }
    if (enable && t->recovery_days == 0) t->recovery_countdown = transient_describes;
    t->recovery_days = enable ? days : 0;
  }
  json pitr = {{"PointInTimeRecoveryStatus", "DISABLED"}};
  if (t->recovery_days > 0) {
    const bool enabling = op == "DescribeContinuousBackups" && t->recovery_countdown > 0;
    if (enabling) --t->recovery_countdown;
    pitr = {{"PointInTimeRecoveryStatus", enabling ? "ENABLING" : "ENABLED"},
            {"RecoveryPeriodInDays", t->recovery_days}};
  }
  return json{{"ContinuousBackupsDescription",
               {{"ContinuousBackupsStatus", "ENABLED"}, {"PointInTimeRecoveryDescription", pitr}}}};
}

Result<json> FakeDynamoDb::Policy(const std::string& op, const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t, Find(in));
  if (op == "GetResourcePolicy") {
    if (t->policy.empty()) {
      FAKE_FAIL("PolicyNotFoundException", "Resource-based policy not found for the provided "
                                           "ResourceArn: " + Arn(t->desc["TableName"]));
    }
    return json{{"Policy", t->policy}, {"RevisionId", std::to_string(t->policy_revision)}};
  }
  if (t->policy_blocked > 0) {
    --t->policy_blocked;
    FAKE_FAIL("ResourceInUseException",
              "Subsequent updates to the resource-based policy are blocked for 15 seconds");
  }
  if (op == "DeleteResourcePolicy") {
    t->policy.clear();
    ++t->policy_revision;
    t->policy_blocked = policy_block_calls;
    return json::object();
  }
  t->policy = in.at("Policy").get<std::string>();
  ++t->policy_revision;
  t->policy_blocked = policy_block_calls;
  return json{{"RevisionId", std::to_string(t->policy_revision)}};
}

Result<json> FakeDynamoDb::Insights(const std::string& op, const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t, Find(in));
  const std::string index = in.value("IndexName", "");
  if (!index.empty()) {
    bool found = false;
    for (const auto& g : t->desc.value("GlobalSecondaryIndexes", json::array())) {
      found |= g.value("IndexName", "") == index;
    }
    if (!found) FAKE_FAIL("ResourceNotFoundException", "Requested resource not found: " + index);
  }
  auto& rec = t->insights[index];
  const bool enable = in.value("ContributorInsightsAction", "") == "ENABLE";
  if (op == "UpdateContributorInsights") {
    if (rec.countdown > 0) {
      FAKE_FAIL("ResourceInUseException", "Contributor Insights is already being updated");
    }
    rec.countdown = transient_describes;
    rec.status = enable ? (insights_fail.empty() ? "ENABLED" : "FAILED") : "DISABLED";
    if (enable) rec.mode = in.value("ContributorInsightsMode", "ACCESSED_AND_THROTTLED_KEYS");
  }
  std::string status = rec.status;
  if (rec.countdown > 0 && op == "DescribeContributorInsights") {
    --rec.countdown;
    status = rec.status == "DISABLED" ? "DISABLING" : "ENABLING";
  } else if (op == "UpdateContributorInsights" && rec.countdown > 0) {
    status = enable ? "ENABLING" : "DISABLING";
  }
  json out = {{"TableName", t->desc["TableName"]}, {"ContributorInsightsStatus", status}};
  if (!index.empty()) out["IndexName"] = index;
  if (!rec.mode.empty() && status != "DISABLED") out["ContributorInsightsMode"] = rec.mode;
  if (status == "FAILED") {
    out["FailureException"] = {{"ExceptionName", "LimitExceededException"},
                               {"ExceptionDescription", insights_fail}};
  }
  return out;
}

Result<json> FakeDynamoDb::Kinesis(const std::string& op, const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t, Find(in));
  const json name = t->desc["TableName"];
  if (op == "DescribeKinesisStreamingDestination") {
    json list = json::array();
    for (auto& [arn, d] : t->kinesis) {
      std::string status = d.status;
      if (d.countdown > 0) {
        --d.countdown;
        status = d.passing;
      }
      json entry = {{"StreamArn", arn}, {"DestinationStatus", status},
                    {"ApproximateCreationDateTimePrecision", d.precision}};
      if (status == "ENABLE_FAILED") entry["DestinationStatusDescription"] = kinesis_fail;
      list.push_back(std::move(entry));
    }
    return json{{"TableName", name}, {"KinesisDataStreamDestinations", list}};
  }
  const std::string arn = in.value("StreamArn", "");
  if (arn.rfind("arn:aws:kinesis:", 0) != 0) FAKE_FAIL("ValidationException", "Invalid StreamArn");
  auto it = t->kinesis.find(arn);
  if (it != t->kinesis.end() && it->second.countdown > 0) {
    FAKE_FAIL("ResourceInUseException", "The streaming destination is being changed: " + arn);
  }
  const bool active = it != t->kinesis.end() && it->second.status == "ACTIVE";
  TableRec::Destination d = it != t->kinesis.end() ? it->second : TableRec::Destination{};
  std::string answer;
  if (op == "EnableKinesisStreamingDestination") {
    if (active) FAKE_FAIL("ValidationException", "Table is already streaming to " + arn);
    d.precision = in.value("EnableKinesisStreamingConfiguration", json::object())
                      .value("ApproximateCreationDateTimePrecision", "MILLISECOND");
    d.status = kinesis_fail.empty() ? "ACTIVE" : "ENABLE_FAILED";
    d.passing = answer = "ENABLING";
  } else if (op == "DisableKinesisStreamingDestination") {
    if (!active) FAKE_FAIL("ValidationException", "Table is not streaming to " + arn);
    d.status = "DISABLED";
    d.passing = answer = "DISABLING";
  } else if (op == "UpdateKinesisStreamingDestination") {
    if (!active) FAKE_FAIL("ResourceInUseException", "Table is not streaming to " + arn);
    d.precision = in.value("UpdateKinesisStreamingConfiguration", json::object())
                      .value("ApproximateCreationDateTimePrecision", "MILLISECOND");
    d.passing = answer = "UPDATING";
  } else {
    FAKE_FAIL("UnknownOperationException", "unknown operation " + op);
  }
  d.countdown = transient_describes;
  if (d.countdown == 0) answer = d.status;
  t->kinesis[arn] = d;
  return json{{"TableName", name}, {"StreamArn", arn}, {"DestinationStatus", answer}};
}

}  // namespace strata::testing
