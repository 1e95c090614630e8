// The shared rules, in the order a user fixes a file: names, index counts, keys, billing,
// projections.
#include "adapters/dynamodb/table_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace strata::dynamodb::internal {
namespace {

// Checks a table read from one of the formats against the rules DynamoDB enforces.
class TableRules {
 public:
  TableRules(const pb::DynamoTable& table, const TablePlaces& at, const Vocabulary& words,
             std::string_view file)
      : t_(table), at_(at), words_(words), file_(file) {}

  Status Check() const {
    STRATA_RETURN_IF_ERROR(CheckNames());
    STRATA_RETURN_IF_ERROR(CheckIndexCounts());
    STRATA_RETURN_IF_ERROR(CheckKeys());
    STRATA_RETURN_IF_ERROR(CheckBilling());
    STRATA_RETURN_IF_ERROR(CheckWarm());
    STRATA_RETURN_IF_ERROR(CheckProjections());
    return CheckReplicas();
  }

 private:
  Status Error(int line, std::string_view message) const {
    return ErrorAt(file_, line ? line : at_.root_line, message);
  }

  Status CheckNames() const {
    if (!IsValidName(t_.name())) {
      return Error(at_.name_line, InvalidNameMessage("table", t_.name()));
    }
    std::map<std::string, int> seen;  // index name -> line
    auto check = [&](const std::string& name, const IndexPlace& place) -> Status {
      if (!IsValidName(name)) return Error(place.name_line, InvalidNameMessage("index", name));
      auto [it, fresh] = seen.emplace(name, place.name_line);
      if (fresh) return Status::Ok();
      return Error(place.name_line,
                   fmt::format("duplicate index name \"{}\" (first at line {}); global and local "
                               "index names must all differ",
                               name, it->second));
    };
    for (int i = 0; i < t_.global_indexes_size(); ++i) {
      STRATA_RETURN_IF_ERROR(check(t_.global_indexes(i).name(), at_.global_indexes[i]));
    }
    for (int i = 0; i < t_.local_indexes_size(); ++i) {
      STRATA_RETURN_IF_ERROR(check(t_.local_indexes(i).name(), at_.local_indexes[i]));
    }
    return Status::Ok();
  }

  Status CheckIndexCounts() const {
    if (t_.local_indexes_size() > kMaxLocalIndexes) {
      return Error(at_.local_indexes_line,
                   fmt::format("{} local indexes; DynamoDB allows at most {} per table",
                               t_.local_indexes_size(), kMaxLocalIndexes));
    }
    if (t_.global_indexes_size() > kMaxGlobalIndexes) {
      return Error(at_.global_indexes_line,
                   fmt::format("{} global indexes; DynamoDB allows at most {} per table",
                               t_.global_indexes_size(), kMaxGlobalIndexes));
    }
    if (t_.local_indexes_size() > 0 && t_.key().sort_key().empty()) {
      return Error(at_.local_indexes[0].name_line,
                   fmt::format("local index \"{}\" needs a table sort key; add {} to the table "
                               "or make it a global index",
                               t_.local_indexes(0).name(), words_.table_sort_key));
    }
    return Status::Ok();
  }

  Status CheckKeys() const {
    auto same = [](const pb::DynamoKeySchema& k) { return k.partition_key() == k.sort_key(); };
    if (same(t_.key())) {
      return Error(at_.sort_key_line,
                   fmt::format("partition key and sort key are both \"{}\"; use two different "
                               "attributes",
                               t_.key().sort_key()));
    }
    for (int i = 0; i < t_.global_indexes_size(); ++i) {
      const auto& g = t_.global_indexes(i);
      if (!same(g.key())) continue;
      return Error(at_.global_indexes[i].sort_key_line,
                   fmt::format("global index \"{}\": partition key and sort key are both \"{}\"; "
                               "use two different attributes",
                               g.name(), g.key().sort_key()));
    }
    for (int i = 0; i < t_.local_indexes_size(); ++i) {
      const auto& l = t_.local_indexes(i);
      if (l.sort_key() != t_.key().partition_key()) continue;
      return Error(at_.local_indexes[i].sort_key_line,
                   fmt::format("local index \"{}\": its sort key \"{}\" is the table's partition "
                               "key; use another attribute",
                               l.name(), l.sort_key()));
    }
    return Status::Ok();
  }

  // A maximum on-demand throughput caps PAY_PER_REQUEST tables only.
  Status OnDemandNotAllowed(int line, std::string_view who) const {
    return Error(line ? line : at_.billing_line,
                 fmt::format("{}{} is not allowed with {}: it caps on-demand tables only; "
                             "remove it or use {}",
                             who, words_.on_demand_key, words_.provisioned,
                             words_.pay_per_request));
  }

  Status CheckBilling() const {
    const bool provisioned = t_.billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED;
    if (provisioned && !t_.has_throughput()) {
      return Error(at_.billing_line, fmt::format("{} needs {} on the table", words_.provisioned,
                                                 words_.throughput_form));
    }
    if (!provisioned && t_.has_throughput()) return NotAllowed(at_.throughput_line, "");
    if (provisioned && t_.has_on_demand_throughput()) {
      return OnDemandNotAllowed(at_.on_demand_line, "");
    }
    for (int i = 0; i < t_.global_indexes_size(); ++i) {
      const auto& g = t_.global_indexes(i);
      const std::string who = fmt::format("global index \"{}\": ", g.name());
      if (provisioned && g.has_on_demand_throughput()) {
        return OnDemandNotAllowed(at_.global_indexes[i].on_demand_line, who);
      }
      if (!provisioned && g.has_throughput()) {
        return NotAllowed(at_.global_indexes[i].throughput_line, who);
      }
      if (provisioned && !g.has_throughput()) {
        return Error(at_.global_indexes[i].name_line,
                     fmt::format("{}{} needs {} on every global index", who, words_.provisioned,
                                 words_.throughput_form));
      }
    }
    return Status::Ok();
  }

  // A table or index starts with the on-demand defaults, or its provisioned capacity, and
  // DynamoDB refuses a warm throughput below that (it never lowers one).
  Status CheckWarmOf(const pb::DynamoWarmThroughput& warm, const pb::DynamoThroughput* capacity,
                     int line, std::string_view who) const {
    const bool provisioned = t_.billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED;
    const int64_t read = provisioned && capacity ? capacity->read_capacity_units()
                                                 : kOnDemandWarmRead;
    const int64_t write = provisioned && capacity ? capacity->write_capacity_units()
                                                  : kOnDemandWarmWrite;
    if (warm.read_units_per_second() >= read && warm.write_units_per_second() >= write) {
      return Status::Ok();
    }
    const std::string start =
        provisioned ? fmt::format("its provisioned capacity ({} read, {} write)", read, write)
                    : fmt::format("{} read and {} write units per second", read, write);
    return Error(line ? line : at_.root_line,
                 fmt::format("{}{} asks for {} read and {} write units per second, below what "
                             "every {} starts with: {}; DynamoDB never lowers warm throughput, "
                             "so ask for at least that ({}) or leave {} out",
                             who, words_.warm_key, warm.read_units_per_second(),
                             warm.write_units_per_second(),
                             provisioned ? "provisioned table or index" : "on-demand table or index",
                             start,
                             fmt::format(fmt::runtime(words_.warm_form),
                                         std::max(read, warm.read_units_per_second()),
                                         std::max(write, warm.write_units_per_second())),
                             words_.warm_key));
  }

  Status CheckWarm() const {
    if (t_.has_warm_throughput()) {
      STRATA_RETURN_IF_ERROR(CheckWarmOf(t_.warm_throughput(),
                                         t_.has_throughput() ? &t_.throughput() : nullptr,
                                         at_.warm_line, ""));
    }
    for (int i = 0; i < t_.global_indexes_size(); ++i) {
      const auto& g = t_.global_indexes(i);
      if (!g.has_warm_throughput()) continue;
      STRATA_RETURN_IF_ERROR(CheckWarmOf(g.warm_throughput(),
                                         g.has_throughput() ? &g.throughput() : nullptr,
                                         at_.global_indexes[i].warm_line,
                                         fmt::format("global index \"{}\": ", g.name())));
    }
    return Status::Ok();
  }

  Status NotAllowed(int line, std::string_view who) const {
    return Error(line, fmt::format("{}{} is not allowed with {}; remove it or use {}", who,
                                   words_.throughput_key, words_.pay_per_request,
                                   words_.provisioned));
  }

  Status CheckProjections() const {
    auto check = [&](const std::string& index, const pb::DynamoProjection& p, int line) {
      if (p.type() != pb::DYNAMO_PROJECTION_TYPE_INCLUDE || p.non_key_attributes_size() > 0) {
        return Status::Ok();
      }
      return Error(line, fmt::format("index \"{}\": {} needs at least one attribute; list them "
                                     "in {}",
                                     index, words_.include, words_.include_form));
    };
    for (int i = 0; i < t_.global_indexes_size(); ++i) {
      const auto& g = t_.global_indexes(i);
      const int line = at_.global_indexes[i].projection_line;
      STRATA_RETURN_IF_ERROR(check(g.name(), g.projection(), line));
    }
    for (int i = 0; i < t_.local_indexes_size(); ++i) {
      const auto& l = t_.local_indexes(i);
      const int line = at_.local_indexes[i].projection_line;
      STRATA_RETURN_IF_ERROR(check(l.name(), l.projection(), line));
    }
    return Status::Ok();
  }

  // Global tables (version 2019.11.21): replicas in distinct regions, an on-demand table (a
  // provisioned one needs write auto scaling, which strata does not manage), and the
  // NEW_AND_OLD_IMAGES stream the service replicates through.
  Status CheckReplicas() const {
    if (t_.replicas_size() == 0) return Status::Ok();
    std::map<std::string, int> seen;  // region -> line
    for (int i = 0; i < t_.replicas_size(); ++i) {
      const auto& r = t_.replicas(i);
      const ReplicaPlace& place = at_.replicas[i];
      if (!IsRegionName(r.region())) {
        return Error(place.region_line,
                     fmt::format("replica region \"{}\" is not a region name like eu-west-1",
                                 r.region()));
      }
      auto [it, fresh] = seen.emplace(r.region(), place.region_line);
      if (!fresh) {
        return Error(place.region_line,
                     fmt::format("duplicate replica region {} (first at line {}); a table has "
                                 "one replica per region",
                                 r.region(), it->second));
      }
      const std::string who = fmt::format("replica {}: ", r.region());
      for (int j = 0; j < r.global_indexes_size(); ++j) {
        const auto& g = r.global_indexes(j);
        const bool known = std::any_of(t_.global_indexes().begin(), t_.global_indexes().end(),
                                       [&](const auto& x) { return x.name() == g.name(); });
        if (!known) {
          return Error(place.index_lines[j],
                       fmt::format("{}global index \"{}\" is not an index of this table; name "
                                   "one of the table's global indexes",
                                   who, g.name()));
        }
      }
    }
    if (t_.billing_mode() != pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST) {
      return Error(at_.billing_line ? at_.billing_line : at_.replicas_line,
                   fmt::format("a table with {} needs {}: DynamoDB takes a provisioned global "
                               "table only with write auto scaling, which strata does not "
                               "manage; switch to {} or remove the replicas",
                               words_.replicas_key, words_.pay_per_request,
                               words_.pay_per_request));
    }
    for (int i = 0; i < t_.replicas_size(); ++i) {
      const auto& r = t_.replicas(i);
      bool index_capacity = std::any_of(r.global_indexes().begin(), r.global_indexes().end(),
                                        [](const auto& g) { return g.read_capacity_units() > 0; });
      if (r.read_capacity_units() > 0 || index_capacity) {
        return Error(at_.replicas[i].read_capacity_line ? at_.replicas[i].read_capacity_line
                                                        : at_.replicas[i].region_line,
                     fmt::format("replica {}: {} applies to provisioned tables only; on an "
                                 "on-demand table use {}",
                                 r.region(), words_.replica_read_capacity,
                                 words_.replica_max_read));
      }
    }
    if (t_.stream() != pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES) {
      return Error(at_.replicas_line,
                   fmt::format("a table with {} needs {}: DynamoDB replicates every change "
                               "through the table's stream (strata turns it on before the first "
                               "replica is created); add it, or remove the replicas",
                               words_.replicas_key, words_.replica_stream));
    }
    return Status::Ok();
  }

  const pb::DynamoTable& t_;
  const TablePlaces& at_;
  const Vocabulary& words_;
  std::string_view file_;
};

}  // namespace

Status ErrorAt(std::string_view file, int line, std::string_view message) {
  return Status::InvalidArgument(fmt::format("{}:{}: {}", file, line, message));
}

bool IsRegionName(std::string_view region) {
  if (region.size() < 4 || region.size() > 32) return false;
  if (!std::isdigit(static_cast<unsigned char>(region.back()))) return false;
  if (region.find('-') == std::string_view::npos || region.front() == '-') return false;
  return std::all_of(region.begin(), region.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsValidName(std::string_view name) {
  if (name.size() < 3 || name.size() > 255) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

std::string InvalidNameMessage(std::string_view what, std::string_view name) {
  return fmt::format(
      "{} name \"{}\" is invalid: use 3 to 255 characters from a-z, A-Z, 0-9, '_', '-' and '.'",
      what, name);
}

Status CheckTableRules(const pb::DynamoTable& table, const TablePlaces& at,
                       const Vocabulary& words, std::string_view file) {
  return TableRules(table, at, words, file).Check();
}

std::string StreamArnProblem(std::string_view arn) {
  // arn:PARTITION:kinesis:REGION:ACCOUNT:stream/NAME
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) break;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  const std::string_view resource = parts.size() == 5 ? arn.substr(start) : "";
  const bool ok = parts.size() == 5 && parts[0] == "arn" && !parts[1].empty() &&
                  parts[2] == "kinesis" && !parts[3].empty() && parts[4].size() == 12 &&
                  std::all_of(parts[4].begin(), parts[4].end(),
                              [](char c) { return c >= '0' && c <= '9'; }) &&
                  resource.rfind("stream/", 0) == 0 && resource.size() > 7 &&
                  resource.find('/', 7) == std::string_view::npos;
  if (ok) return "";
  return fmt::format("\"{}\" is not a Kinesis data stream ARN; write "
                     "arn:aws:kinesis:REGION:ACCOUNT:stream/NAME (the stream's ARN as "
                     "aws kinesis describe-stream-summary shows it)",
                     arn);
}

std::string AttributeNameProblem(std::string_view name) {
  if (name.empty()) return "key attribute name is empty";
  if (name.size() > kMaxAttributeNameBytes) {
    return fmt::format("key attribute name \"{}...\" is {} bytes; DynamoDB allows at most {}",
                       name.substr(0, 20), name.size(), kMaxAttributeNameBytes);
  }
  return "";
}

std::string TagKeyProblem(std::string_view key) {
  if (key.empty()) return "tag key is empty";
  if (key.size() > kMaxTagKeyChars * 4) {  // bytes; at most 4 per character in UTF-8
    return fmt::format("tag key \"{}...\" is too long; DynamoDB allows {} characters",
                       key.substr(0, 20), kMaxTagKeyChars);
  }
  return "";
}

std::string BadTypeMessage(std::string_view type) {
  return fmt::format("{} is not a key type; use {}", type, JoinOr(WordsOf(kAttributeTypes)));
}

}  // namespace strata::dynamodb::internal
