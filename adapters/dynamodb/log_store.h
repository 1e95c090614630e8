// DynamoLogStore: a strata log in a DynamoDB table, one item per commit keyed by partition key
// `log` (S, the log's name) and sort key `seq` (N), holding the commit's stored bytes exactly.
// An append is one PutItem with `attribute_not_exists(seq)`: ConditionalCheckFailedException
// means another writer has the seq. Payloads too big for one item (DynamoDB's 400 KB limit)
// are written first as content-addressed parts under the partition "LOG#blob#SHA256", then the
// conditional commit item names them. The table is created on first use when missing
// (docs/team-log.md has the definition, the IAM policy and the item layout).
// Not thread-safe: one store per thread; any number of processes may share the table.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "adapters/aws/json_service.h"
#include "engine/store/log_store.h"

namespace strata::dynamodb {

// Payloads up to this many bytes live in the commit item; bigger ones in parts of this size.
// Well below the 400 KB item limit: the item's other attributes fit beside it, and so does an
// emulator that counts binary values in their base64 form.
inline constexpr size_t kLogPartBytes = 256 * 1024;

struct DynamoLogStoreOptions {
  std::string table;              // the table's name
  std::string log_id = "default";  // the partition of this log; no '#' (strata's own keys use it)
  std::string region, endpoint, profile;  // from the URL; empty: the AWS environment decides
  // For messages: the endpoint requests really go to (the session's resolution of `endpoint`).
  std::string endpoint_used;
  std::string region_used;
  // created_at of new items (microseconds since the epoch); empty: no created_at.
  std::function<int64_t()> now_micros;
  // Seqs of probe items (ProbeConditionalWrites); empty: probing is refused as misconfigured.
  std::function<uint64_t()> random;
  // Waiting for a table this store created to become ACTIVE.
  std::function<void(int64_t ms)> sleep_ms;
  std::function<int64_t()> steady_ms;
  int64_t wait_timeout_ms = 5 * 60 * 1000;
  int64_t poll_interval_ms = 1000;
  // Items per Query page (the request's Limit); 0: none, pages end at DynamoDB's 1 MB.
  int query_page_items = 0;
};

// Reads `dynamodb://TABLE?log=NAME&region=R&endpoint=URL&profile=P` (values percent-decoded;
// log defaults to "default"). InvalidArgument naming the URL and the part for a missing or bad
// table name, an empty log name or one with '#', an endpoint that is not http(s)://, or an
// unknown parameter.
Result<DynamoLogStoreOptions> ParseLogUrl(const std::string& url);

class DynamoLogStore : public LogStore {
 public:
  // Checks the table's key schema (creating the table with PAY_PER_REQUEST billing and waiting
  // for ACTIVE when it is missing). FailedPrecondition naming the table and its keys for a
  // table with another key schema; Unavailable when DynamoDB cannot be reached. A principal
  // that may not DescribeTable is trusted to have the right table: its first Query says
  // otherwise.
  static Result<std::unique_ptr<DynamoLogStore>> Open(std::unique_ptr<aws::JsonService> ddb,
                                                      DynamoLogStoreOptions options);

  std::string Describe() const override;
  bool shared() const override { return true; }
  Result<Head> ReadHead() override;
  Result<std::vector<LogEntry>> Read(uint64_t from, size_t limit) override;
  Result<Head> Append(uint64_t seq, std::string_view payload) override;
  // Creates one probe item (partition "LOG#probe", a random seq) with the commit's condition,
  // then puts it again: the second put must fail its condition. FailedPrecondition when it
  // does not (the server ignores ConditionExpression; a log there would fork).
  Status ProbeConditionalWrites() override;

 private:
  DynamoLogStore(std::unique_ptr<aws::JsonService> ddb, DynamoLogStoreOptions options)
      : ddb_(std::move(ddb)), options_(std::move(options)) {}
  Status EnsureTable();
  // Entry `seq`'s seq and hash, read consistently; nullopt when there is no such item.
  Result<std::optional<Head>> HeadOf(uint64_t seq);
  // The entry an item holds (its parts fetched when `whole`; otherwise the hash is the item's
  // sha256 attribute for a payload in parts). Corruption naming the seq for a damaged item.
  Result<LogEntry> EntryOf(const nlohmann::json& item, bool whole);
  Result<std::string> ReadParts(uint64_t seq, const std::string& sha_hex, uint64_t parts,
                                uint64_t size);
  Status WriteParts(uint64_t seq, std::string_view payload, const Hash& hash);
  // PutItem with the commit's condition; `*taken` receives the item already there when the
  // server returns it. Falls back to a request without ReturnValuesOnConditionCheckFailure
  // when the server refuses that parameter.
  Result<nlohmann::json> PutIfAbsent(const nlohmann::json& item, aws::ServiceError* error);
  nlohmann::json Key(const std::string& partition, uint64_t seq) const;

  std::unique_ptr<aws::JsonService> ddb_;
  DynamoLogStoreOptions options_;
  std::optional<Head> last_;  // the newest entry this store has seen (entries never change)
  bool return_old_on_conflict_ = true;  // false once the server refused the parameter
};

}  // namespace strata::dynamodb
