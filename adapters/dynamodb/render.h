// Rendering a pb::DynamoTable as text users and AWS read: CreateTable input JSON (AWS field
// names, in the order the AWS CLI shows them) and the friendly YAML table-file form.
//
// For every canonical, valid table t: ParseCreateTableJson(RenderCreateTableText(t)) == t and
// ParseTableYaml(RenderTableYaml(t)) == t. Pure functions; none fails or throws.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "proto/dynamodb.pb.h"

namespace strata::dynamodb {

// CreateTable input (with ResourcePolicy as a string), plus strata's extensions:
// TimeToLiveSpecification when TTL is on, PointInTimeRecoverySpecification when recovery is on,
// ContributorInsightsSpecification (table and each global index) where insights are on, and
// KinesisStreamSpecification (one object, or a list for several streams) in CloudFormation's
// shape.
// ReplicaUpdates (one Create per replica) when the table has replicas.
// Defaults are written out (BillingMode, TableClass, DeletionProtectionEnabled); a disabled
// stream and empty tags are left out, as the CLI would.
nlohmann::ordered_json RenderCreateTable(const pb::DynamoTable& table);
// RenderCreateTable as text: two-space indent, trailing newline.
std::string RenderCreateTableText(const pb::DynamoTable& table);

// A replica as UpdateTable's ReplicaUpdates Create (or Update) takes it: RegionName and the
// overrides it has; TableClassOverride when its class differs from `table_class`.
nlohmann::ordered_json RenderReplica(const pb::DynamoReplica& replica,
                                     pb::DynamoTableClass table_class);
// "KMS key alias/eu, max 500 read request units, table class STANDARD_INFREQUENT_ACCESS", or
// "" when the replica has nothing of its own.
std::string ReplicaText(const pb::DynamoReplica& replica, pb::DynamoTableClass table_class);

// The pieces, for other renderers (snapshots, migration artifacts).
nlohmann::ordered_json RenderAttributeDefinitions(const pb::DynamoTable& table);
// OnDemandThroughput with the sides that have a maximum; with `remove_unset`, a side without
// one is sent as -1, which is how UpdateTable removes a maximum.
nlohmann::ordered_json RenderOnDemandThroughput(const pb::DynamoOnDemandThroughput& o,
                                                bool remove_unset = false);
// WarmThroughput with both sides.
nlohmann::ordered_json RenderWarmThroughput(const pb::DynamoWarmThroughput& w);
// SSESpecification: {"Enabled": false} for the AWS-owned key (no `encryption`), else KMS with
// the key id of a customer-managed key.
nlohmann::ordered_json RenderSseSpecification(const pb::DynamoTable& table);
// "AWS-owned key", "AWS-managed key (aws/dynamodb)", "KMS key alias/orders".
std::string EncryptionText(const pb::DynamoTable& table);
// "max 100 read, 50 write request units" / "no maximum".
std::string OnDemandText(const pb::DynamoOnDemandThroughput* o);
// "15000 read, 5000 write units per second".
std::string WarmText(const pb::DynamoWarmThroughput& w);

nlohmann::ordered_json RenderGlobalIndex(const pb::DynamoGlobalIndex& index);
nlohmann::ordered_json RenderThroughput(const pb::DynamoThroughput& throughput);
nlohmann::ordered_json RenderAttributeDefinition(const pb::DynamoAttributeDefinition& attribute);

// AWS's names for the enums ("PAY_PER_REQUEST", "NEW_AND_OLD_IMAGES", "DISABLED" for a stream
// that is off, "STANDARD", "ALL", "S"); "UNSPECIFIED" for 0.
std::string_view BillingModeName(pb::DynamoBillingMode mode);
std::string_view StreamViewTypeName(pb::DynamoStreamViewType stream);
std::string_view TableClassName(pb::DynamoTableClass table_class);
std::string_view ProjectionTypeName(pb::DynamoProjectionType type);
std::string_view AttributeTypeName(pb::DynamoAttributeType type);
std::string_view InsightsModeName(pb::DynamoContributorInsightsMode mode);
std::string_view PrecisionName(pb::DynamoTimestampPrecision precision);

// The friendly YAML form (docs/dynamodb-table-files.md). Settings at their default (stream
// disabled, standard table class, no deletion protection, no TTL, no recovery, no policy, no
// tags) are left out; a policy is written as indented JSON in a literal block.
std::string RenderTableYaml(const pb::DynamoTable& table);

}  // namespace strata::dynamodb
