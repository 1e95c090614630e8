// How a live table's encryption and warm throughput compare with a wanted one.
//
// DynamoDB reports a KMS-encrypted table by its key's ARN, whether the table uses the
// account's aws/dynamodb key or a customer key named by id, alias or ARN in a table file; and
// it reports a warm throughput for every table and index, one the service chose by itself
// unless someone raised it. Before live tables are diffed against a schema, these functions
// put such facts in the schema's terms, so only real differences remain (docs/dynamodb-apply.md).
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "adapters/aws/json_service.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb {

// The alias of the account's AWS-managed DynamoDB key.
inline constexpr std::string_view kManagedKeyAlias = "alias/aws/dynamodb";

// Which KMS key a name stands for. Thread-safe.
class KeyNames {
 public:
  virtual ~KeyNames() = default;
  // The key ARN `name` (key id, key ARN, alias name or alias ARN) stands for; "" when unknown.
  virtual std::string KeyArn(const std::string& name) = 0;
};

// KeyNames through KMS DescribeKey, each name asked once. Failures (no such key, access denied,
// no KMS) read as unknown: matching then falls back to comparing the names as written.
class KmsKeyNames : public KeyNames {
 public:
  explicit KmsKeyNames(aws::JsonService& kms) : kms_(kms) {}
  std::string KeyArn(const std::string& name) override;

 private:
  aws::JsonService& kms_;
  std::mutex mu_;
  std::map<std::string, std::string> known_;
};

// True when `given` (as a table file writes it) and `live` (as DynamoDB reports it) name the
// same key: equal text, a key id and the ARN ending in key/ID, or the same ARN behind both.
bool SameKey(const std::string& given, const std::string& live, KeyNames* keys);

// The service's own warm throughput for a table or index of this capacity: at most 12000 read
// and 4000 write units per second, or its provisioned capacity when higher.
bool IsDefaultWarmThroughput(const pb::DynamoWarmThroughput& warm,
                             const pb::DynamoThroughput* provisioned);

enum class UnwantedWarm {
  kIgnore,        // planning: warm throughput a schema leaves out is not strata's to change
  kKeepIfRaised,  // drift, import, export: report one someone raised above the defaults
};

// Puts `live` in `wanted`'s terms (wanted may be null: a table strata knows nothing of):
//   - a KMS key that is the aws/dynamodb key becomes AWS_MANAGED; a customer key the wanted
//     table names another way is written the wanted way;
//   - a warm throughput the wanted table (or index) leaves out is dropped as `unwanted` says.
// `keys` may be null (no lookups).
void NormalizeLiveTable(const pb::DynamoTable* wanted, UnwantedWarm unwanted, KeyNames* keys,
                        pb::DynamoTable* live);

}  // namespace strata::dynamodb
