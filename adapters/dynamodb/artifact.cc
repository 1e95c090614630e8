#include "adapters/dynamodb/artifact.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <system_error>

#include "adapters/dynamodb/render.h"
#include "engine/state/validate.h"

namespace strata::dynamodb {
namespace {

using nlohmann::ordered_json;

constexpr int kArtifactVersion = 1;
constexpr size_t kMaxNameChars = 64;

ordered_json Op(std::string_view op, std::string_view table) {
  return {{"op", op}, {"table", table}};
}

ordered_json SetBilling(const pb::DynamoSetBilling& e) {
  ordered_json out = Op("set_billing", e.table());
  out["billing_mode"] = BillingModeName(e.billing_mode());
  if (e.has_throughput()) out["throughput"] = RenderThroughput(e.throughput());
  if (!e.index_throughput().empty()) {
    std::map<std::string, pb::DynamoThroughput> sorted(e.index_throughput().begin(),
                                                       e.index_throughput().end());
    ordered_json& indexes = out["index_throughput"] = ordered_json::object();
    for (const auto& [name, t] : sorted) indexes[name] = RenderThroughput(t);
  }
  return out;
}

ordered_json AddGlobalIndex(const pb::DynamoAddGlobalIndex& e) {
  ordered_json out = Op("add_global_index", e.table());
  out["index"] = RenderGlobalIndex(e.index());
  ordered_json& defs = out["attribute_definitions"] = ordered_json::array();
  for (const auto& a : e.attributes()) defs.push_back(RenderAttributeDefinition(a));
  return out;
}

ordered_json SetTimeToLive(const pb::DynamoSetTimeToLive& e) {
  ordered_json out = Op("set_time_to_live", e.table());
  out["enabled"] = !e.attribute().empty();
  if (!e.attribute().empty()) out["attribute"] = e.attribute();
  return out;
}

// Operations whose only payload is one more field.
ordered_json With(ordered_json op, std::string_view key, ordered_json value) {
  op[std::string(key)] = std::move(value);
  return op;
}

// The number at the start of an artifact file name ("0012_add_index.json" -> 12), or -1.
long long ArtifactNumber(std::string_view file) {
  if (file.size() < 5 || file.substr(file.size() - 5) != ".json") return -1;
  size_t digits = 0;
  while (digits < file.size() && std::isdigit(static_cast<unsigned char>(file[digits]))) ++digits;
  if (digits == 0 || digits > 18) return -1;
  if (file[digits] != '_' && file[digits] != '.') return -1;
  return std::stoll(std::string(file.substr(0, digits)));
}

}  // namespace

ordered_json RenderOperation(const pb::DynamoChange& c) {
  using C = pb::DynamoChange;
  switch (c.kind_case()) {
    case C::kCreateTable: {
      const auto& t = c.create_table().table();
      return With(Op("create_table", t.name()), "definition", RenderCreateTable(t));
    }
    case C::kDropTable: return Op("drop_table", c.drop_table().table());
    case C::kReplaceTable: {
      const auto& e = c.replace_table();
      ordered_json op = With(Op("replace_table", e.table().name()), "reason", e.reason());
      op["destructive"] = true;
      return With(std::move(op), "definition", RenderCreateTable(e.table()));
    }
    case C::kSetBilling: return SetBilling(c.set_billing());
    case C::kAddGlobalIndex: return AddGlobalIndex(c.add_global_index());
    case C::kDropGlobalIndex: {
      const auto& e = c.drop_global_index();
      return With(Op("drop_global_index", e.table()), "index", e.index());
    }
    case C::kSetGlobalIndexThroughput: {
      const auto& e = c.set_global_index_throughput();
      ordered_json op = With(Op("set_global_index_throughput", e.table()), "index", e.index());
      return With(std::move(op), "throughput", RenderThroughput(e.throughput()));
    }
    case C::kSetTimeToLive: return SetTimeToLive(c.set_time_to_live());
    case C::kSetStream:
      return With(Op("set_stream", c.set_stream().table()), "stream",
                  StreamViewTypeName(c.set_stream().stream()));
    case C::kSetTableClass:
      return With(Op("set_table_class", c.set_table_class().table()), "table_class",
                  TableClassName(c.set_table_class().table_class()));
    case C::kSetDeletionProtection:
      return With(Op("set_deletion_protection", c.set_deletion_protection().table()), "enabled",
                  c.set_deletion_protection().enabled());
    case C::kSetPointInTimeRecovery: {
      const auto& e = c.set_point_in_time_recovery();
      ordered_json op = With(Op("set_point_in_time_recovery", e.table()), "enabled",
                             e.recovery_period_days() > 0);
      if (e.recovery_period_days() > 0) op["recovery_period_days"] = e.recovery_period_days();
      return op;
    }
    case C::kSetResourcePolicy: {
      const auto& e = c.set_resource_policy();
      if (e.policy().empty()) return Op("remove_resource_policy", e.table());
      return With(Op("set_resource_policy", e.table()), "policy", e.policy());
    }
    case C::kSetContributorInsights: {
      const auto& e = c.set_contributor_insights();
      ordered_json op = Op("set_contributor_insights", e.table());
      if (!e.index().empty()) op["index"] = e.index();
      op["enabled"] = e.has_insights();
      if (e.has_insights()) op["mode"] = InsightsModeName(e.insights().mode());
      return op;
    }
    case C::kAddKinesisDestination: {
      const auto& e = c.add_kinesis_destination();
      ordered_json op = With(Op("add_kinesis_destination", e.table()), "stream_arn",
                             e.destination().stream_arn());
      return With(std::move(op), "precision", PrecisionName(e.destination().precision()));
    }
    case C::kRemoveKinesisDestination: {
      const auto& e = c.remove_kinesis_destination();
      return With(Op("remove_kinesis_destination", e.table()), "stream_arn", e.stream_arn());
    }
    case C::kSetKinesisDestinationPrecision: {
      const auto& e = c.set_kinesis_destination_precision();
      ordered_json op =
          With(Op("set_kinesis_destination_precision", e.table()), "stream_arn", e.stream_arn());
      return With(std::move(op), "precision", PrecisionName(e.precision()));
    }
    case C::kSetTag: {
      const auto& e = c.set_tag();
      return With(With(Op("set_tag", e.table()), "key", e.key()), "value", e.value());
    }
    case C::kRemoveTag:
      return With(Op("remove_tag", c.remove_tag().table()), "key", c.remove_tag().key());
    case C::kSetEncryption: {
      pb::DynamoTable t;
      if (c.set_encryption().has_encryption()) *t.mutable_encryption() = c.set_encryption().encryption();
      return With(Op("set_encryption", c.set_encryption().table()), "sse_specification",
                  RenderSseSpecification(t));
    }
    case C::kSetOnDemandThroughput: {
      const auto& e = c.set_on_demand_throughput();
      ordered_json op = Op("set_on_demand_throughput", e.table());
      if (!e.index().empty()) op = With(std::move(op), "index", e.index());
      return With(std::move(op), "on_demand_throughput",
                  RenderOnDemandThroughput(e.on_demand_throughput(), true));
    }
    case C::kSetWarmThroughput: {
      const auto& e = c.set_warm_throughput();
      ordered_json op = Op("set_warm_throughput", e.table());
      if (!e.index().empty()) op = With(std::move(op), "index", e.index());
      return With(std::move(op), "warm_throughput",
                  e.has_warm_throughput() ? RenderWarmThroughput(e.warm_throughput())
                                          : ordered_json());
    }
    case C::kAddReplica:
      return With(Op("add_replica", c.add_replica().table()), "replica",
                  RenderReplica(c.add_replica().replica(), pb::DYNAMO_TABLE_CLASS_UNSPECIFIED));
    case C::kRemoveReplica:
      return With(Op("remove_replica", c.remove_replica().table()), "region",
                  c.remove_replica().region());
    case C::kUpdateReplica:
      return With(Op("update_replica", c.update_replica().table()), "replica",
                  RenderReplica(c.update_replica().replica(), pb::DYNAMO_TABLE_CLASS_UNSPECIFIED));
    case C::KIND_NOT_SET: break;
  }
  return {{"op", "unknown"}};
}

Result<ordered_json> RenderArtifact(const std::vector<pb::Event>& events,
                                    const ArtifactMetadata& metadata) {
  ordered_json operations = ordered_json::array();
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string where = fmt::format("event {}", i + 1);
    if (events[i].kind_case() != pb::Event::kDynamodb) {
      return Status::InvalidArgument(
          where + ": not a DynamoDB change; a DynamoDB artifact holds DynamoDB changes only");
    }
    STRATA_RETURN_IF_ERROR(ValidateEvent(events[i]).WithContext(where));
    operations.push_back(RenderOperation(events[i].dynamodb()));
  }
  return ordered_json{{"version", kArtifactVersion},
                      {"seq", metadata.seq},
                      {"name", metadata.name},
                      {"message", metadata.message},
                      {"time", metadata.time},
                      {"operations", std::move(operations)}};
}

Result<std::string> RenderArtifactText(const std::vector<pb::Event>& events,
                                       const ArtifactMetadata& metadata) {
  STRATA_ASSIGN_OR_RETURN(ordered_json artifact, RenderArtifact(events, metadata));
  return artifact.dump(2) + "\n";
}

std::string SanitizeArtifactName(std::string_view name) {
  std::string out;
  for (char raw : name) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(raw)));
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (keep) {
      out += c;
    } else if (out.empty() || out.back() != '_') {
      out += '_';
    }
  }
  auto not_underscore = [](char c) { return c != '_'; };
  out.erase(out.begin(), std::find_if(out.begin(), out.end(), not_underscore));
  out.erase(std::find_if(out.rbegin(), out.rend(), not_underscore).base(), out.end());
  if (out.size() > kMaxNameChars) out.resize(kMaxNameChars);
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "migration" : out;
}

std::string NextArtifactFileName(const std::vector<std::string>& existing,
                                 std::string_view name) {
  long long max = -1;
  for (const auto& file : existing) max = std::max(max, ArtifactNumber(file));
  return fmt::format("{:04d}_{}.json", max + 1, SanitizeArtifactName(name));
}

Result<std::string> NextArtifactFileNameIn(const std::filesystem::path& dir,
                                           std::string_view name) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return NextArtifactFileName({}, name);
  std::vector<std::string> files;
  std::filesystem::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) files.push_back(it->path().filename().string());
  if (ec) return Status::IoError(fmt::format("listing {}: {}", dir.string(), ec.message()));
  return NextArtifactFileName(files, name);
}

}  // namespace strata::dynamodb
