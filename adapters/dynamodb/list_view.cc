#include "adapters/dynamodb/list_view.h"

#include <fmt/format.h>

#include <optional>

#include "adapters/dynamodb/render.h"

namespace strata::dynamodb {
namespace {

using json = nlohmann::ordered_json;
using backend::Cell;
using backend::Tone;

std::optional<pb::DynamoAttributeType> TypeOf(const pb::DynamoTable& t, const std::string& name) {
  for (const auto& a : t.attributes()) {
    if (a.name() == name) return a.type();
  }
  return std::nullopt;
}

json KeyJson(const pb::DynamoTable& t, const std::string& name) {
  if (name.empty()) return json();
  auto type = TypeOf(t, name);
  return {{"name", name}, {"type", type ? std::string(AttributeTypeName(*type)) : ""}};
}

std::string KeyText(const pb::DynamoTable& t, const std::string& name) {
  if (name.empty()) return "-";
  auto type = TypeOf(t, name);
  return type ? fmt::format("{} ({})", name, AttributeTypeName(*type)) : name;
}

json ThroughputJson(const pb::DynamoThroughput& t) {
  if (t.read_capacity_units() == 0 && t.write_capacity_units() == 0) return json();
  return {{"read_capacity_units", t.read_capacity_units()},
          {"write_capacity_units", t.write_capacity_units()}};
}

json ProjectionJson(const pb::DynamoProjection& p) {
  json j = {{"type", ProjectionTypeName(p.type())}};
  if (p.type() == pb::DYNAMO_PROJECTION_TYPE_INCLUDE) j["non_key_attributes"] = p.non_key_attributes();
  return j;
}

std::string ProjectionText(const pb::DynamoProjection& p) {
  if (p.type() != pb::DYNAMO_PROJECTION_TYPE_INCLUDE) return std::string(ProjectionTypeName(p.type()));
  return fmt::format("INCLUDE ({})", fmt::join(p.non_key_attributes(), ", "));
}

std::string IndexStatus(const LiveTable& live, const std::string& index) {
  auto it = live.index_status.find(index);
  return it == live.index_status.end() ? "" : it->second;
}

json TableJson(const LiveTable& live, bool managed) {
  const pb::DynamoTable& t = live.table;
  json gsis = json::array(), lsis = json::array();
  for (const auto& g : t.global_indexes()) {
    gsis.push_back({{"name", g.name()},
                    {"partition_key", KeyJson(t, g.key().partition_key())},
                    {"sort_key", KeyJson(t, g.key().sort_key())},
                    {"projection", ProjectionJson(g.projection())},
                    {"status", IndexStatus(live, g.name())},
                    {"throughput", ThroughputJson(g.throughput())}});
  }
  for (const auto& l : t.local_indexes()) {
    lsis.push_back({{"name", l.name()},
                    {"partition_key", KeyJson(t, t.key().partition_key())},
                    {"sort_key", KeyJson(t, l.sort_key())},
                    {"projection", ProjectionJson(l.projection())}});
  }
  return {{"name", t.name()},
          {"status", live.status},
          {"managed", managed},
          {"partition_key", KeyJson(t, t.key().partition_key())},
          {"sort_key", KeyJson(t, t.key().sort_key())},
          {"billing_mode", BillingModeName(t.billing_mode())},
          {"throughput", ThroughputJson(t.throughput())},
          {"global_indexes", gsis},
          {"local_indexes", lsis},
          {"item_count", live.item_count},
          {"size_bytes", live.size_bytes},
          {"deletion_protection", t.deletion_protection()},
          {"table_class", TableClassName(t.table_class())},
          {"stream", StreamViewTypeName(t.stream())},
          {"ttl_attribute", t.ttl_attribute().empty() ? json() : json(t.ttl_attribute())},
          {"arn", live.arn}};
}

std::string BillingText(const pb::DynamoTable& t) {
  if (t.billing_mode() != pb::DYNAMO_BILLING_MODE_PROVISIONED) {
    return std::string(BillingModeName(t.billing_mode()));
  }
  return fmt::format("PROVISIONED {}/{}", t.throughput().read_capacity_units(),
                     t.throughput().write_capacity_units());
}

Tone StatusTone(const std::string& status) {
  return status.empty() || status == "ACTIVE" ? Tone::kPlain : Tone::kWarn;
}

void AddTableRows(const LiveTable& live, bool managed, std::vector<std::vector<Cell>>* rows) {
  const pb::DynamoTable& t = live.table;
  std::string mark = managed ? "managed" : "unmanaged";
  if (t.deletion_protection()) mark += ", protected";
  rows->push_back({{t.name(), Tone::kStrong},
                   {KeyText(t, t.key().partition_key())},
                   {KeyText(t, t.key().sort_key())},
                   {BillingText(t)},
                   {live.status, StatusTone(live.status)},
                   {std::to_string(live.item_count), Tone::kPlain, true},
                   {mark, managed ? Tone::kGood : Tone::kDim}});
  for (const auto& g : t.global_indexes()) {
    const std::string status = IndexStatus(live, g.name());
    rows->push_back({{"  gsi " + g.name()},
                     {KeyText(t, g.key().partition_key())},
                     {KeyText(t, g.key().sort_key())},
                     {ProjectionText(g.projection()), Tone::kDim},
                     {status, StatusTone(status)},
                     {"", Tone::kPlain, true},
                     {""}});
  }
  for (const auto& l : t.local_indexes()) {
    rows->push_back({{"  lsi " + l.name()},
                     {KeyText(t, t.key().partition_key())},
                     {KeyText(t, l.sort_key())},
                     {ProjectionText(l.projection()), Tone::kDim},
                     {""},
                     {"", Tone::kPlain, true},
                     {""}});
  }
}

}  // namespace

backend::ListView ListTables(const std::vector<LiveTable>& tables,
                             const std::set<std::string>& managed,
                             const std::string& target_text) {
  backend::ListView v;
  v.key = "tables";
  size_t managed_live = 0;
  for (const auto& t : tables) {
    const bool is_managed = managed.count(t.table.name()) > 0;
    managed_live += is_managed;
    v.items.push_back(TableJson(t, is_managed));
  }
  v.empty_text = fmt::format("No tables on {}.", target_text);
  v.title = fmt::format("{}: {} table{}, {} managed by strata", target_text, tables.size(),
                        tables.size() == 1 ? "" : "s", managed_live);
  v.rows.push_back({{"TABLE", Tone::kDim},
                    {"PARTITION KEY", Tone::kDim},
                    {"SORT KEY", Tone::kDim},
                    {"BILLING / PROJECTION", Tone::kDim},
                    {"STATUS", Tone::kDim},
                    {"ITEMS", Tone::kDim, true},
                    {"STRATA", Tone::kDim}});
  for (const auto& t : tables) AddTableRows(t, managed.count(t.table.name()) > 0, &v.rows);
  v.footer = "(item counts are DynamoDB's, refreshed about every six hours)";
  return v;
}

}  // namespace strata::dynamodb
