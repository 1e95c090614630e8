#include "adapters/dynamodb/log_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "adapters/aws/json_members.h"
#include "adapters/common/url_query.h"
#include "adapters/dynamodb/wait.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) |
                       (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], kB64[(v >> 6) & 63], kB64[v & 63]};
  }
  if (i + 1 == in.size()) {
    const uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8);
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], kB64[(v >> 6) & 63], '='};
  }
  return out;
}

int B64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> FromBase64(std::string_view in) {
  std::string out;
  out.reserve(in.size() / 4 * 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (char c : in) {
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad > 0) return std::nullopt;  // data after padding
    const int v = B64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (pad > 2) return std::nullopt;
  return out;
}

// DynamoDB's table-name rules: 3 to 255 of letters, digits, '_', '-' and '.'.
bool IsTableName(std::string_view s) {
  if (s.size() < 3 || s.size() > 255) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.';
  });
}

json B(std::string_view bytes) { return json{{"B", Base64(bytes)}}; }
json N(uint64_t n) { return json{{"N", std::to_string(n)}}; }

// The string of attribute `name` of type `type` ("S", "N", "B"), or nullopt.
std::optional<std::string> Attr(const json& item, const char* name, const char* type) {
  if (!item.is_object() || !item.contains(name)) return std::nullopt;
  const json& v = item[name];
  if (!v.is_object() || !v.contains(type) || !v[type].is_string()) return std::nullopt;
  return v[type].get<std::string>();
}

std::optional<uint64_t> NumberAttr(const json& item, const char* name) {
  auto text = Attr(item, name, "N");
  if (!text || text->empty() ||
      !std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  try {
    return std::stoull(*text);
  } catch (...) {
    return std::nullopt;
  }
}

// The Items of a Query page: a list, or Corruption naming the store.
Result<json> ItemsOf(const json& page, const std::string& where) {
  if (!page.contains("Items")) return json::array();
  if (!page["Items"].is_array()) {
    return Status::Corruption(fmt::format("{}: a Query answer whose Items is not a list", where));
  }
  return page["Items"];
}

std::optional<std::string> BinaryAttr(const json& item, const char* name) {
  auto text = Attr(item, name, "B");
  if (!text) return std::nullopt;
  return FromBase64(*text);
}

std::optional<Hash> HashAttr(const json& item, const char* name) {
  auto bytes = BinaryAttr(item, name);
  if (!bytes || bytes->size() != sizeof(Hash)) return std::nullopt;
  Hash h;
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

bool IsConditionFailure(const aws::ServiceError& e) {
  return e.code == "ConditionalCheckFailedException";
}

// The list member `key` of `object`, or an empty list.
json ListOf(const json& object, const char* key) {
  if (!object.is_object()) return json::array();
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : json::array();
}

// "log (HASH, S), seq (RANGE, N)" for messages.
std::string KeysOf(const json& table) {
  std::map<std::string, std::string> types;
  for (const json& a : ListOf(table, "AttributeDefinitions")) {
    types[aws::JsonString(a, "AttributeName")] = aws::JsonString(a, "AttributeType");
  }
  std::string out;
  for (const json& k : ListOf(table, "KeySchema")) {
    const std::string name = aws::JsonString(k, "AttributeName");
    if (!out.empty()) out += ", ";
    out += fmt::format("{} ({}, {})", name, aws::JsonString(k, "KeyType"), types[name]);
  }
  return out.empty() ? "none" : out;
}

bool HasLogKeys(const json& table) {
  return KeysOf(table) == "log (HASH, S), seq (RANGE, N)";
}

}  // namespace

Result<DynamoLogStoreOptions> ParseLogUrl(const std::string& url) {
  constexpr std::string_view kScheme = "dynamodb://";
  if (url.rfind(kScheme, 0) != 0) {
    return Status::InvalidArgument(fmt::format("log {}: not a dynamodb:// URL", url));
  }
  DynamoLogStoreOptions o;
  const std::string rest = url.substr(kScheme.size());
  const size_t q = rest.find('?');
  o.table = common::PercentDecode(rest.substr(0, q));
  if (!o.table.empty() && o.table.back() == '/') o.table.pop_back();
  if (!IsTableName(o.table)) {
    return Status::InvalidArgument(fmt::format(
        "log {}: \"{}\" is not a DynamoDB table name (3 to 255 letters, digits, _ - and .); "
        "write dynamodb://TABLE?log=NAME",
        url, o.table));
  }
  if (q != std::string::npos) {
    for (const common::QueryPart& part : common::SplitQuery(rest.substr(q + 1))) {
      const std::string& key = part.key;
      const std::string& value = part.value;
      if (key == "log") {
        o.log_id = value;
      } else if (key == "region") {
        o.region = value;
      } else if (key == "endpoint") {
        o.endpoint = value;
      } else if (key == "profile") {
        o.profile = value;
      } else {
        return Status::InvalidArgument(fmt::format(
            "log {}: unknown parameter \"{}\"; a dynamodb:// log takes log=, region=, endpoint= "
            "and profile=",
            url, key));
      }
    }
  }
  if (o.log_id.empty()) {
    return Status::InvalidArgument(fmt::format(
        "log {}: the log name (log=) is empty; name the log, e.g. log=acme/prod", url));
  }
  if (o.log_id.find('#') != std::string::npos) {
    return Status::InvalidArgument(fmt::format(
        "log {}: the log name \"{}\" contains '#', which strata keeps for its own items "
        "(parts and probes); choose a name without it",
        url, o.log_id));
  }
  if (!o.endpoint.empty() && o.endpoint.rfind("http://", 0) != 0 &&
      o.endpoint.rfind("https://", 0) != 0) {
    return Status::InvalidArgument(fmt::format(
        "log {}: endpoint={} is not an http:// or https:// URL (percent-encode it: "
        "endpoint=http%3A%2F%2F127.0.0.1%3A8000)",
        url, o.endpoint));
  }
  return o;
}

Result<std::unique_ptr<DynamoLogStore>> DynamoLogStore::Open(std::unique_ptr<aws::JsonService> ddb,
                                                             DynamoLogStoreOptions options) {
  if (ddb == nullptr) return Status::InvalidArgument("DynamoDB log store: no DynamoDB client");
  std::unique_ptr<DynamoLogStore> store(new DynamoLogStore(std::move(ddb), std::move(options)));
  STRATA_RETURN_IF_ERROR(store->EnsureTable());
  return store;
}

std::string DynamoLogStore::Describe() const {
  const std::string& region = options_.region_used.empty() ? options_.region : options_.region_used;
  const std::string& endpoint =
      options_.endpoint_used.empty() ? options_.endpoint : options_.endpoint_used;
  std::string where = "table " + options_.table;
  if (!region.empty()) where += ", region " + region;
  if (!endpoint.empty()) where += ", endpoint " + endpoint;
  return fmt::format("DynamoDB log {} ({})", options_.log_id, where);
}

json DynamoLogStore::Key(const std::string& partition, uint64_t seq) const {
  return json{{"log", {{"S", partition}}}, {"seq", N(seq)}};
}

Status DynamoLogStore::EnsureTable() {
  aws::ServiceError error;
  auto described = ddb_->Call("DescribeTable", json{{"TableName", options_.table}}, &error);
  if (!described.ok()) {
    if (error.code == "AccessDeniedException") return Status::Ok();  // see Open's contract
    if (described.status().code() != Code::kNotFound) {
      return described.status().WithContext(Describe());
    }
    const json create = {
        {"TableName", options_.table},
        {"AttributeDefinitions",
         {{{"AttributeName", "log"}, {"AttributeType", "S"}},
          {{"AttributeName", "seq"}, {"AttributeType", "N"}}}},
        {"KeySchema",
         {{{"AttributeName", "log"}, {"KeyType", "HASH"}},
          {{"AttributeName", "seq"}, {"KeyType", "RANGE"}}}},
        {"BillingMode", "PAY_PER_REQUEST"},
        {"DeletionProtectionEnabled", true}};
    auto created = ddb_->Call("CreateTable", create, &error);
    // AlreadyExists: another writer created it a moment ago; its keys are checked below.
    if (!created.ok() && created.status().code() != Code::kAlreadyExists) {
      return created.status().WithContext(fmt::format(
          "{}: creating the table (or create it beforehand: docs/team-log.md)", Describe()));
    }
  } else if (described->contains("Table") && (*described)["Table"].contains("KeySchema")) {
    if (!HasLogKeys((*described)["Table"])) {
      return Status::FailedPrecondition(fmt::format(
          "{}: table {} has the keys {}; a strata log needs partition key log (S) and sort key "
          "seq (N). Name another table in the log: URL, or create one as docs/team-log.md shows",
          Describe(), options_.table, KeysOf((*described)["Table"])));
    }
    if (aws::JsonString((*described)["Table"], "TableStatus") == "ACTIVE") return Status::Ok();
  }
  if (!options_.sleep_ms || !options_.steady_ms) {
    return Status::InvalidArgument(
        fmt::format("{}: waiting for the table needs sleep_ms and steady_ms", Describe()));
  }
  Waiter w;
  w.poll_interval_ms = options_.poll_interval_ms;
  w.timeout_ms = options_.wait_timeout_ms;
  w.sleep = options_.sleep_ms;
  w.now_ms = options_.steady_ms;
  STRATA_RETURN_IF_ERROR(WaitUntilReady(*ddb_, options_.table, w).WithContext(Describe()));
  // A table created by someone else at the same moment: its keys must be the log's too.
  auto again = ddb_->Call("DescribeTable", json{{"TableName", options_.table}}, nullptr);
  if (!again.ok()) return again.status().WithContext(Describe());
  const json table = again->contains("Table") ? (*again)["Table"] : json::object();
  if (!HasLogKeys(table)) {
    return Status::FailedPrecondition(fmt::format(
        "{}: table {} has the keys {}; a strata log needs partition key log (S) and sort key "
        "seq (N)",
        Describe(), options_.table, KeysOf(table)));
  }
  return Status::Ok();
}

Result<LogEntry> DynamoLogStore::EntryOf(const json& item, bool whole) {
  auto seq = NumberAttr(item, "seq");
  if (!seq) return Status::Corruption(fmt::format("{}: an item has no numeric seq", Describe()));
  LogEntry e;
  e.seq = *seq;
  if (auto payload = BinaryAttr(item, "payload")) {
    e.payload = std::move(*payload);
    e.hash = Sha256(e.payload);
    auto stored = HashAttr(item, "sha256");
    if (!stored || *stored != e.hash) {
      return Status::Corruption(fmt::format(
          "{}: commit {}: the item's sha256 is not the hash of its payload", Describe(), e.seq));
    }
    return e;
  }
  auto stored = HashAttr(item, "sha256");
  auto parts = NumberAttr(item, "parts");
  auto size = NumberAttr(item, "size");
  if (!stored || !parts || !size || *parts == 0) {
    return Status::Corruption(fmt::format(
        "{}: commit {}: the item has neither a payload nor parts with a sha256", Describe(),
        e.seq));
  }
  e.hash = *stored;
  // Parts hold at least one byte and at most kLogPartBytes (WriteParts); a size the parts
  // cannot hold was not written by strata, and taken at its word it could ask for any amount of
  // memory.
  if (*size < *parts || (*size - 1) / kLogPartBytes + 1 > *parts) {
    return Status::Corruption(fmt::format(
        "{}: commit {}: the item says {} bytes in {} parts, which strata never writes",
        Describe(), e.seq, *size, *parts));
  }
  if (!whole) return e;
  STRATA_ASSIGN_OR_RETURN(e.payload, ReadParts(e.seq, HashHex(e.hash), *parts, *size));
  if (Sha256(e.payload) != e.hash) {
    return Status::Corruption(fmt::format(
        "{}: commit {}: its {} parts do not add up to the payload its sha256 names", Describe(),
        e.seq, *parts));
  }
  return e;
}

Result<std::string> DynamoLogStore::ReadParts(uint64_t seq, const std::string& sha_hex,
                                              uint64_t parts, uint64_t size) {
  const std::string partition = options_.log_id + "#blob#" + sha_hex;
  std::string out;
  out.reserve(std::min<uint64_t>(size, 4 * kLogPartBytes));
  uint64_t next = 1;
  json request = {{"TableName", options_.table},
                  {"KeyConditionExpression", "#l = :l"},
                  {"ExpressionAttributeNames", {{"#l", "log"}}},
                  {"ExpressionAttributeValues", {{":l", {{"S", partition}}}}},
                  {"ConsistentRead", true}};
  for (;;) {
    auto page = ddb_->Call("Query", request, nullptr);
    if (!page.ok()) {
      return page.status().WithContext(fmt::format("{}: reading the parts of commit {}",
                                                   Describe(), seq));
    }
    STRATA_ASSIGN_OR_RETURN(const json items, ItemsOf(*page, Describe()));
    for (const json& item : items) {
      auto n = NumberAttr(item, "seq");
      auto data = BinaryAttr(item, "data");
      if (!n || !data || *n != next) {
        return Status::Corruption(fmt::format(
            "{}: commit {}: part {} of {} (partition {}) is missing or damaged", Describe(), seq,
            next, parts, partition));
      }
      out += *data;
      ++next;
    }
    if (!page->contains("LastEvaluatedKey")) break;
    request["ExclusiveStartKey"] = (*page)["LastEvaluatedKey"];
  }
  if (next != parts + 1 || out.size() != size) {
    return Status::Corruption(fmt::format(
        "{}: commit {}: found {} of its {} parts ({} of {} bytes) in partition {}", Describe(),
        seq, next - 1, parts, out.size(), size, partition));
  }
  return out;
}

Status DynamoLogStore::WriteParts(uint64_t seq, std::string_view payload, const Hash& hash) {
  const std::string partition = options_.log_id + "#blob#" + HashHex(hash);
  uint64_t n = 0;
  for (size_t at = 0; at < payload.size(); at += kLogPartBytes) {
    json item = Key(partition, ++n);
    item["data"] = B(payload.substr(at, kLogPartBytes));
    // Unconditional: a part's key names its content, so writing it again changes nothing.
    auto put = ddb_->Call("PutItem", json{{"TableName", options_.table}, {"Item", item}}, nullptr);
    if (!put.ok()) {
      return put.status().WithContext(fmt::format(
          "{}: commit {}: writing part {} of its {}-byte payload", Describe(), seq, n,
          payload.size()));
    }
  }
  return Status::Ok();
}

Result<std::optional<Head>> DynamoLogStore::HeadOf(uint64_t seq) {
  auto got = ddb_->Call("GetItem",
                        json{{"TableName", options_.table},
                             {"Key", Key(options_.log_id, seq)},
                             {"ConsistentRead", true}},
                        nullptr);
  if (!got.ok()) return got.status().WithContext(Describe());
  if (!got->contains("Item")) return std::optional<Head>();
  STRATA_ASSIGN_OR_RETURN(LogEntry e, EntryOf((*got)["Item"], false));
  return std::optional<Head>(Head{e.seq, e.hash, std::nullopt});
}

Result<Head> DynamoLogStore::ReadHead() {
  const json request = {{"TableName", options_.table},
                        {"KeyConditionExpression", "#l = :l"},
                        {"ExpressionAttributeNames", {{"#l", "log"}}},
                        {"ExpressionAttributeValues", {{":l", {{"S", options_.log_id}}}}},
                        {"ScanIndexForward", false},
                        {"Limit", 1},
                        {"ConsistentRead", true}};
  auto page = ddb_->Call("Query", request, nullptr);
  if (!page.ok()) return page.status().WithContext(Describe());
  STRATA_ASSIGN_OR_RETURN(const json items, ItemsOf(*page, Describe()));
  if (items.empty()) return Head{};
  STRATA_ASSIGN_OR_RETURN(LogEntry e, EntryOf(items[0], false));
  Head head{e.seq, e.hash, std::nullopt};
  last_ = head;
  return head;
}

Result<std::vector<LogEntry>> DynamoLogStore::Read(uint64_t from, size_t limit) {
  if (from == 0 || limit == 0) {
    return Status::InvalidArgument("DynamoDB log store: Read needs from >= 1 and limit > 0");
  }
  json request = {{"TableName", options_.table},
                  {"KeyConditionExpression", "#l = :l AND #s >= :from"},
                  {"ExpressionAttributeNames", {{"#l", "log"}, {"#s", "seq"}}},
                  {"ExpressionAttributeValues",
                   {{":l", {{"S", options_.log_id}}}, {":from", N(from)}}},
                  {"ConsistentRead", true}};
  std::vector<LogEntry> out;
  uint64_t expect = from;
  while (out.size() < limit) {
    size_t want = limit - out.size();
    if (options_.query_page_items > 0) {
      want = std::min(want, static_cast<size_t>(options_.query_page_items));
    }
    request["Limit"] = std::min<size_t>(want, 1u << 30);
    auto page = ddb_->Call("Query", request, nullptr);
    if (!page.ok()) return page.status().WithContext(Describe());
    STRATA_ASSIGN_OR_RETURN(const json items, ItemsOf(*page, Describe()));
    for (const json& item : items) {
      STRATA_ASSIGN_OR_RETURN(LogEntry e, EntryOf(item, true));
      if (e.seq != expect) {
        return Status::Corruption(fmt::format("{}: commit {} is missing (the next entry is {})",
                                              Describe(), expect, e.seq));
      }
      ++expect;
      out.push_back(std::move(e));
      if (out.size() == limit) break;
    }
    if (!page->contains("LastEvaluatedKey")) break;
    request["ExclusiveStartKey"] = (*page)["LastEvaluatedKey"];
  }
  if (!out.empty() && (!last_ || last_->seq < out.back().seq)) {
    last_ = Head{out.back().seq, out.back().hash, std::nullopt};
  }
  return out;
}

Result<json> DynamoLogStore::PutIfAbsent(const json& item, aws::ServiceError* error) {
  json request = {{"TableName", options_.table},
                  {"Item", item},
                  {"ConditionExpression", "attribute_not_exists(#s)"},
                  {"ExpressionAttributeNames", {{"#s", "seq"}}}};
  if (return_old_on_conflict_) request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD";
  auto put = ddb_->Call("PutItem", request, error);
  if (!put.ok() && return_old_on_conflict_ && error->code == "ValidationException" &&
      error->message.find("ReturnValuesOnConditionCheckFailure") != std::string::npos) {
    // A server older than the parameter (it came in 2023): ask without it from now on.
    return_old_on_conflict_ = false;
    request.erase("ReturnValuesOnConditionCheckFailure");
    *error = aws::ServiceError{};
    put = ddb_->Call("PutItem", request, error);
  }
  return put;
}

Result<Head> DynamoLogStore::Append(uint64_t seq, std::string_view payload) {
  if (seq == 0) return Status::InvalidArgument(Describe() + ": there is no entry 0");
  Head prev;
  if (seq > 1) {
    if (last_ && last_->seq == seq - 1) {
      prev = *last_;
    } else {
      STRATA_ASSIGN_OR_RETURN(std::optional<Head> before, HeadOf(seq - 1));
      if (!before) {
        return Status::InvalidArgument(fmt::format(
            "{}: entry {}: there is no entry {} for it to follow", Describe(), seq, seq - 1));
      }
      prev = *before;
    }
  }
  STRATA_RETURN_IF_ERROR(CheckEntry(seq, payload, prev).WithContext(Describe()));
  const Hash hash = Sha256(payload);

  json item = Key(options_.log_id, seq);
  item["sha256"] = B(HashBytes(hash));
  item["prev_sha256"] = B(HashBytes(prev.hash));
  if (options_.now_micros) item["created_at"] = N(static_cast<uint64_t>(options_.now_micros()));
  if (payload.size() <= kLogPartBytes) {
    item["payload"] = B(payload);
  } else {
    STRATA_RETURN_IF_ERROR(WriteParts(seq, payload, hash));
    item["parts"] = N((payload.size() + kLogPartBytes - 1) / kLogPartBytes);
    item["size"] = N(payload.size());
  }

  aws::ServiceError error;
  auto put = PutIfAbsent(item, &error);
  if (put.ok()) {
    last_ = Head{seq, hash, std::nullopt};
    return *last_;
  }
  if (IsConditionFailure(error)) {
    std::string whose;
    if (error.document.is_object() && error.document.contains("Item")) {
      auto taken = EntryOf(error.document["Item"], false);
      if (taken.ok()) {
        last_ = Head{taken->seq, taken->hash, std::nullopt};
        whose = taken->hash == hash ? " with these very bytes (an earlier attempt of this write?)"
                                    : fmt::format(" (sha256 {})", HashHex(taken->hash));
      }
    }
    return Status::Conflict(fmt::format("{}: commit {} exists already{}", Describe(), seq, whose));
  }
  if (put.status().code() == Code::kUnavailable) {
    return Status::Unavailable(fmt::format(
        "{}: appending commit {}: the outcome is unknown: {}", Describe(), seq,
        put.status().message()));
  }
  return put.status().WithContext(fmt::format("{}: appending commit {}", Describe(), seq));
}

Status DynamoLogStore::ProbeConditionalWrites() {
  if (!options_.random) {
    return Status::InvalidArgument(Describe() + ": probing needs a random source");
  }
  const std::string partition = options_.log_id + "#probe";
  for (int attempt = 0; attempt < 3; ++attempt) {
    // Below 2^53, so the number survives any JSON reader on the way.
    const uint64_t seq = 1 + options_.random() % ((uint64_t{1} << 53) - 1);
    json item = Key(partition, seq);
    item["probe"] = json{{"S", "strata conditional-write probe"}};
    aws::ServiceError error;
    auto first = PutIfAbsent(item, &error);
    if (!first.ok()) {
      if (IsConditionFailure(error)) continue;  // that seq was taken: draw another
      return first.status().WithContext(Describe() + ": probing conditional writes");
    }
    error = aws::ServiceError{};
    auto second = PutIfAbsent(item, &error);
    if (second.ok()) {
      return Status::FailedPrecondition(fmt::format(
          "{}: the server accepted a PutItem with attribute_not_exists(seq) for an item that "
          "exists (item {} of partition {}): it ignores ConditionExpression, and a shared log "
          "there would fork. Use DynamoDB itself, or a server that checks conditions",
          Describe(), seq, partition));
    }
    if (IsConditionFailure(error)) return Status::Ok();
    return second.status().WithContext(Describe() + ": probing conditional writes");
  }
  return Status::FailedPrecondition(fmt::format(
      "{}: three probe items in partition {} were taken before they were written: the server "
      "refuses every conditional PutItem",
      Describe(), partition));
}

}  // namespace strata::dynamodb
