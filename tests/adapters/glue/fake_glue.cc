#include "tests/adapters/glue/fake_glue.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace strata::testing {
namespace {

using nlohmann::json;

constexpr char kAccount[] = "123456789012";
constexpr double kCreateTime = 1767225600.0;  // 2026-01-01, as Glue's epoch seconds
constexpr size_t kMaxPageSize = 100;          // Glue's MaxResults limit for these lists
constexpr char kTokenPrefix[] = "page-after:";

// What TableInput and its parts accept (botocore's Glue model); everything else GetTable
// answers is read-only and refused.
const std::set<std::string> kTableInputMembers = {
    "Name",          "Description",      "Owner",       "LastAccessTime", "LastAnalyzedTime",
    "Retention",     "StorageDescriptor", "PartitionKeys", "ViewOriginalText",
    "ViewExpandedText", "TableType",     "Parameters",  "TargetTable",    "ViewDefinition"};
const std::set<std::string> kStorageDescriptorMembers = {
    "Columns",         "Location",  "AdditionalLocations", "InputFormat",   "OutputFormat",
    "Compressed",      "NumberOfBuckets", "SerdeInfo",     "BucketColumns", "SortColumns",
    "Parameters",      "SkewedInfo", "StoredAsSubDirectories", "SchemaReference"};
const std::set<std::string> kSerDeMembers = {"Name", "SerializationLibrary", "Parameters",
                                             "Description", "SerializerClass",
                                             "DeserializerClass", "SerdeType"};
const std::set<std::string> kColumnMembers = {"Name", "Type", "Comment", "Parameters"};

// The Status the real client gives for a refusal (service_client.cc's mapping, in short).
Status StatusFor(const std::string& op, const std::string& code, const std::string& message) {
  const std::string text = fmt::format("glue {}: {}: {}", op, code, message);
  if (code == "ThrottlingException") {
    return Status::Unavailable(text + " (gave up after 4 attempts)");
  }
  if (code == "EntityNotFoundException") return Status::NotFound(text);
  if (code == "AlreadyExistsException") return Status::AlreadyExists(text);
  if (code == "InvalidInputException") return Status::InvalidArgument(text);
  return Status::FailedPrecondition(text);
}

Status Unknown(const char* where, const json& object, const std::set<std::string>& members) {
  if (!object.is_object()) return Status::Ok();
  for (const auto& [k, v] : object.items()) {
    if (!members.count(k)) {
      return Status::InvalidArgument(fmt::format("{} has no member {}", where, k));
    }
  }
  return Status::Ok();
}

Status UnknownInColumns(const char* where, const json& columns) {
  if (!columns.is_array()) return Status::Ok();
  for (const auto& c : columns) {
    if (!c.contains("Name") || !c.contains("Type")) {
      return Status::InvalidArgument(fmt::format("{}: a column needs Name and Type", where));
    }
    STRATA_RETURN_IF_ERROR(Unknown(where, c, kColumnMembers));
  }
  return Status::Ok();
}

// One page of `names` (sorted) after the page token `token`, at most `limit` long.
Result<std::pair<std::vector<std::string>, std::string>> Page(const std::vector<std::string>& names,
                                                              const json& in, size_t page_size) {
  size_t limit = std::min(page_size, kMaxPageSize);
  if (in.contains("MaxResults")) {
    const int max = in["MaxResults"].get<int>();
    if (max < 1 || max > static_cast<int>(kMaxPageSize)) {
      return Status::InvalidArgument(fmt::format("MaxResults {} is not within 1-100", max));
    }
    limit = std::min(limit, static_cast<size_t>(max));
  }
  size_t start = 0;
  if (in.contains("NextToken")) {
    const std::string token = in["NextToken"].get<std::string>();
    if (token.rfind(kTokenPrefix, 0) != 0) {
      return Status::InvalidArgument("invalid NextToken " + token);
    }
    const std::string after = token.substr(sizeof(kTokenPrefix) - 1);
    start = std::upper_bound(names.begin(), names.end(), after) - names.begin();
  }
  std::vector<std::string> page;
  for (size_t i = start; i < names.size() && page.size() < limit; ++i) page.push_back(names[i]);
  std::string next;
  if (start + page.size() < names.size()) next = kTokenPrefix + page.back();
  return std::make_pair(std::move(page), std::move(next));
}

}  // namespace

Status FakeGlue::Fail(const std::string& code, std::string message) {
  error_code_ = code;
  error_message_ = std::move(message);
  return Status::FailedPrecondition(error_message_);
}

void FakeGlue::FailCall(const std::string& operation, int nth, const std::string& code,
                        const std::string& message) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_[operation].push_back({nth, code, message});
}

void FakeGlue::AddDatabase(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  databases_[name];
}

void FakeGlue::AddTable(const std::string& database, const json& table_input) {
  std::lock_guard<std::mutex> lock(mu_);
  auto r = CreateTable({{"DatabaseName", database}, {"TableInput", table_input}});
  if (!r.ok()) throw std::runtime_error("AddTable: " + error_code_ + ": " + error_message_);
}

void FakeGlue::AddPartitions(const std::string& database, const std::string& table, int count) {
  std::lock_guard<std::mutex> lock(mu_);
  databases_.at(database).tables.at(table).partitions += count;
}

void FakeGlue::Edit(const std::string& database, const std::string& table,
                    const std::function<void(json&)>& edit) {
  std::lock_guard<std::mutex> lock(mu_);
  TableRec& t = databases_.at(database).tables.at(table);
  edit(t.table);
  ++t.version;
  t.table["VersionId"] = std::to_string(t.version);
}

bool FakeGlue::has_database(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  return databases_.count(name) > 0;
}

bool FakeGlue::has_table(const std::string& database, const std::string& table) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto d = databases_.find(database);
  return d != databases_.end() && d->second.tables.count(table) > 0;
}

json FakeGlue::table(const std::string& database, const std::string& table) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto d = databases_.find(database);
  if (d == databases_.end()) return json();
  auto t = d->second.tables.find(table);
  return t == d->second.tables.end() ? json() : t->second.table;
}

std::vector<FakeGlue::Recorded> FakeGlue::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

std::vector<std::string> FakeGlue::mutations() const {
  std::vector<std::string> out;
  for (const auto& c : calls()) {
    if (c.operation.rfind("Get", 0) != 0) out.push_back(c.operation);
  }
  return out;
}

size_t FakeGlue::count(const std::string& operation) const {
  auto all = calls();
  return std::count_if(all.begin(), all.end(),
                       [&](const Recorded& c) { return c.operation == operation; });
}

void FakeGlue::ClearCalls() {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.clear();
}

Result<json> FakeGlue::Call(std::string_view operation, const json& input,
                            aws::ServiceError* error) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string op(operation);
  calls_.push_back({op, input});
  error_code_.clear();
  error_message_.clear();
  Result<json> out = json::object();
  bool injected = false;
  for (auto& f : failures_[op]) {
    if (f.calls_left > 0 && --f.calls_left == 0) {
      error_code_ = f.code;
      error_message_ = f.message;
      injected = true;
    }
  }
  if (injected) {
    out = Status::FailedPrecondition("injected");
  } else {
    out = Dispatch(op, input);
    if (!out.ok() && error_code_.empty()) {
      error_code_ = "InvalidInputException";
      error_message_ = out.status().message();
    }
  }
  if (out.ok()) return out;
  if (error != nullptr) {
    error->http_status = 400;
    error->code = error_code_;
    error->message = error_message_;
    error->request_id = "fake-request";
  }
  return StatusFor(op, error_code_, error_message_);
}

Result<json> FakeGlue::Dispatch(const std::string& op, const json& in) {
  if (op == "GetDatabases") return GetDatabases(in);
  if (op == "GetDatabase") return GetDatabase(in);
  if (op == "CreateDatabase") return CreateDatabase(in);
  if (op == "GetTables") return GetTables(in);
  if (op == "GetTable") return GetTable(in);
  if (op == "CreateTable") return CreateTable(in);
  if (op == "UpdateTable") return UpdateTable(in);
  if (op == "DeleteTable") return DeleteTable(in);
  if (op == "GetPartitions") return GetPartitions(in);
  return Fail("UnknownOperationException", "unknown operation " + op);
}

Result<FakeGlue::DatabaseRec*> FakeGlue::FindDatabase(const std::string& name) {
  auto it = databases_.find(name);
  if (it == databases_.end()) {
    return Fail("EntityNotFoundException", "Database " + name + " not found.");
  }
  return &it->second;
}

Result<FakeGlue::TableRec*> FakeGlue::FindTable(const std::string& database,
                                                const std::string& name) {
  STRATA_ASSIGN_OR_RETURN(DatabaseRec * d, FindDatabase(database));
  auto it = d->tables.find(name);
  if (it == d->tables.end()) {
    return Fail("EntityNotFoundException", "Table " + name + " not found.");
  }
  return &it->second;
}

Result<json> FakeGlue::GetDatabases(const json& in) {
  std::vector<std::string> names;
  for (const auto& [name, d] : databases_) names.push_back(name);
  STRATA_ASSIGN_OR_RETURN(auto page, Page(names, in, page_size));
  json out = {{"DatabaseList", json::array()}};
  for (const auto& name : page.first) {
    out["DatabaseList"].push_back(
        {{"Name", name}, {"CreateTime", kCreateTime}, {"CatalogId", kAccount}});
  }
  if (!page.second.empty()) out["NextToken"] = page.second;
  return out;
}

Result<json> FakeGlue::GetDatabase(const json& in) {
  const std::string name = in.value("Name", "");
  STRATA_RETURN_IF_ERROR(FindDatabase(name).status());
  return json{{"Database", {{"Name", name}, {"CatalogId", kAccount}}}};
}

Result<json> FakeGlue::CreateDatabase(const json& in) {
  const std::string name = in.at("DatabaseInput").value("Name", "");
  if (name.empty()) return Fail("InvalidInputException", "DatabaseInput.Name is required");
  if (databases_.count(name)) return Fail("AlreadyExistsException", "Database already exists.");
  databases_[name];
  return json::object();
}

Result<json> FakeGlue::GetTables(const json& in) {
  STRATA_ASSIGN_OR_RETURN(DatabaseRec * d, FindDatabase(in.value("DatabaseName", "")));
  std::vector<std::string> names;
  for (const auto& [name, t] : d->tables) names.push_back(name);
  STRATA_ASSIGN_OR_RETURN(auto page, Page(names, in, page_size));
  json out = {{"TableList", json::array()}};
  for (const auto& name : page.first) out["TableList"].push_back(d->tables.at(name).table);
  if (!page.second.empty()) out["NextToken"] = page.second;
  return out;
}

Result<json> FakeGlue::GetTable(const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t,
                          FindTable(in.value("DatabaseName", ""), in.value("Name", "")));
  return json{{"Table", t->table}};
}

Status FakeGlue::CheckTableInput(const json& input) {
  if (!input.is_object() || !input.contains("Name")) {
    return Status::InvalidArgument("TableInput.Name is required");
  }
  STRATA_RETURN_IF_ERROR(Unknown("TableInput", input, kTableInputMembers));
  const json sd = input.value("StorageDescriptor", json::object());
  STRATA_RETURN_IF_ERROR(Unknown("StorageDescriptor", sd, kStorageDescriptorMembers));
  STRATA_RETURN_IF_ERROR(
      Unknown("SerdeInfo", sd.value("SerdeInfo", json::object()), kSerDeMembers));
  STRATA_RETURN_IF_ERROR(
      UnknownInColumns("StorageDescriptor.Columns", sd.value("Columns", json())));
  STRATA_RETURN_IF_ERROR(UnknownInColumns("PartitionKeys", input.value("PartitionKeys", json())));
  if (input.contains("Parameters")) {
    for (const auto& [k, v] : input["Parameters"].items()) {
      if (!v.is_string()) return Status::InvalidArgument("parameter " + k + " is not a string");
    }
  }
  return Status::Ok();
}

json FakeGlue::Stored(const std::string& database, const json& input, int version) {
  json t = input;
  t["DatabaseName"] = database;
  t["CreateTime"] = kCreateTime;
  t["CatalogId"] = kAccount;
  t["CreatedBy"] = "arn:aws:iam::123456789012:user/fake";
  t["IsRegisteredWithLakeFormation"] = false;
  t["VersionId"] = std::to_string(version);
  return t;
}

Result<json> FakeGlue::CreateTable(const json& in) {
  const std::string database = in.value("DatabaseName", "");
  STRATA_ASSIGN_OR_RETURN(DatabaseRec * d, FindDatabase(database));
  const json input = in.value("TableInput", json());
  if (Status s = CheckTableInput(input); !s.ok()) return Fail("InvalidInputException", s.message());
  const std::string name = input["Name"].get<std::string>();
  if (d->tables.count(name)) return Fail("AlreadyExistsException", "Table already exists.");
  d->tables[name].table = Stored(database, input, 1);
  return json::object();
}

Result<json> FakeGlue::UpdateTable(const json& in) {
  const std::string database = in.value("DatabaseName", "");
  const json input = in.value("TableInput", json());
  if (Status s = CheckTableInput(input); !s.ok()) return Fail("InvalidInputException", s.message());
  STRATA_ASSIGN_OR_RETURN(TableRec * t, FindTable(database, input["Name"].get<std::string>()));
  if (in.contains("VersionId") && in["VersionId"] != std::to_string(t->version)) {
    return Fail("ConcurrentModificationException",
                fmt::format("Update table failed due to concurrent modifications (VersionId {} is "
                            "not the current version {})",
                            in["VersionId"].get<std::string>(), t->version));
  }
  ++t->version;
  t->table = Stored(database, input, t->version);
  t->table["UpdateTime"] = kCreateTime + t->version;
  return json::object();
}

Result<json> FakeGlue::DeleteTable(const json& in) {
  const std::string name = in.value("Name", "");
  STRATA_ASSIGN_OR_RETURN(DatabaseRec * d, FindDatabase(in.value("DatabaseName", "")));
  if (!d->tables.erase(name)) {
    return Fail("EntityNotFoundException", "Table " + name + " not found.");
  }
  return json::object();
}

Result<json> FakeGlue::GetPartitions(const json& in) {
  STRATA_ASSIGN_OR_RETURN(TableRec * t,
                          FindTable(in.value("DatabaseName", ""), in.value("TableName", "")));
  const int max = in.value("MaxResults", 1000);
  json out = {{"Partitions", json::array()}};
  for (int i = 0; i < std::min(max, t->partitions); ++i) {
    out["Partitions"].push_back({{"Values", {fmt::format("2024-01-{:02}", i + 1)}}});
  }
  if (t->partitions > max) out["NextToken"] = fmt::format("partition-{}", max);
  return out;
}

}  // namespace strata::testing
