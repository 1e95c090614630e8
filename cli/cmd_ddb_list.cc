// strata list: the live tables of a DynamoDB target with their keys, indexes, billing, status,
// item counts and whether strata manages them.
//
// Steps: open the target, read its tables (described concurrently, progress on stderr), find
// which ones strata manages (schema files and log), print a table for people or JSON.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "adapters/dynamodb/render.h"
#include "cli/aws_target.h"
#include "cli/commands.h"
#include "cli/ddb_live.h"
#include "cli/generate.h"

namespace strata::cli {
namespace po = boost::program_options;
namespace ddb = strata::dynamodb;
using json = nlohmann::ordered_json;

namespace {

// Which tables strata manages. A schema file that does not parse only loses its own marks:
// list is for looking around, and the log still knows what strata recorded.
std::set<std::string> ManagedForList(const Context& ctx) {
  auto schema = PickDynamoSchema(ctx, std::nullopt);
  if (!schema.ok()) {
    ctx.Note("note: " + schema.status().message() + "; no table is marked as managed");
    return {};
  }
  std::set<std::string> managed;
  if (auto files = DynamoTablesInFiles(**schema); files.ok()) {
    managed = std::move(files).value();
  } else {
    ctx.Note(
        fmt::format("warning: {}; managed marks come from the log only", files.status().message()));
  }
  auto logged = DynamoTablesInLog(ctx, (*schema)->name);
  if (!logged.ok()) {
    ctx.Note(
        fmt::format("warning: reading the log: {}; managed marks come from the schema files only",
                    logged.status().message()));
  } else {
    managed.insert(logged->begin(), logged->end());
  }
  return managed;
}

std::optional<pb::DynamoAttributeType> TypeOf(const pb::DynamoTable& t, const std::string& name) {
  for (const auto& a : t.attributes()) {
    if (a.name() == name) return a.type();
  }
  return std::nullopt;
}

json KeyJson(const pb::DynamoTable& t, const std::string& name) {
  if (name.empty()) return json();
  auto type = TypeOf(t, name);
  return {{"name", name}, {"type", type ? std::string(ddb::AttributeTypeName(*type)) : ""}};
}

std::string KeyText(const pb::DynamoTable& t, const std::string& name) {
  if (name.empty()) return "-";
  auto type = TypeOf(t, name);
  return type ? fmt::format("{} ({})", name, ddb::AttributeTypeName(*type)) : name;
}

json ThroughputJson(const pb::DynamoThroughput& t) {
  if (t.read_capacity_units() == 0 && t.write_capacity_units() == 0) return json();
  return {{"read_capacity_units", t.read_capacity_units()},
          {"write_capacity_units", t.write_capacity_units()}};
}

json ProjectionJson(const pb::DynamoProjection& p) {
  json j = {{"type", ddb::ProjectionTypeName(p.type())}};
  if (p.type() == pb::DYNAMO_PROJECTION_TYPE_INCLUDE)
    j["non_key_attributes"] = p.non_key_attributes();
  return j;
}

std::string ProjectionText(const pb::DynamoProjection& p) {
  if (p.type() != pb::DYNAMO_PROJECTION_TYPE_INCLUDE)
    return std::string(ddb::ProjectionTypeName(p.type()));
  return fmt::format("INCLUDE ({})", fmt::join(p.non_key_attributes(), ", "));
}

std::string IndexStatus(const ddb::LiveTable& live, const std::string& index) {
  auto it = live.index_status.find(index);
  return it == live.index_status.end() ? "" : it->second;
}

json TableJson(const ddb::LiveTable& live, bool managed) {
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
          {"billing_mode", ddb::BillingModeName(t.billing_mode())},
          {"throughput", ThroughputJson(t.throughput())},
          {"global_indexes", gsis},
          {"local_indexes", lsis},
          {"item_count", live.item_count},
          {"size_bytes", live.size_bytes},
          {"deletion_protection", t.deletion_protection()},
          {"table_class", ddb::TableClassName(t.table_class())},
          {"stream", ddb::StreamViewTypeName(t.stream())},
          {"ttl_attribute", t.ttl_attribute().empty() ? json() : json(t.ttl_attribute())},
          {"arn", live.arn}};
}

// One cell of the people's table: its text, and the color it is painted with once padded.
struct Cell {
  std::string text;
  std::optional<Color> color;
};
using Row = std::vector<Cell>;

std::string BillingText(const pb::DynamoTable& t) {
  if (t.billing_mode() != pb::DYNAMO_BILLING_MODE_PROVISIONED) {
    return std::string(ddb::BillingModeName(t.billing_mode()));
  }
  return fmt::format("PROVISIONED {}/{}", t.throughput().read_capacity_units(),
                     t.throughput().write_capacity_units());
}

std::optional<Color> StatusColor(const std::string& status) {
  if (status.empty() || status == "ACTIVE") return std::nullopt;
  return Color::kYellow;
}

void AddTableRows(const ddb::LiveTable& live, bool managed, std::vector<Row>* rows) {
  const pb::DynamoTable& t = live.table;
  std::string mark = managed ? "managed" : "unmanaged";
  if (t.deletion_protection()) mark += ", protected";
  rows->push_back({{t.name(), Color::kBold},
                   {KeyText(t, t.key().partition_key()), std::nullopt},
                   {KeyText(t, t.key().sort_key()), std::nullopt},
                   {BillingText(t), std::nullopt},
                   {live.status, StatusColor(live.status)},
                   {std::to_string(live.item_count), std::nullopt},
                   {mark, managed ? Color::kGreen : Color::kDim}});
  for (const auto& g : t.global_indexes()) {
    const std::string status = IndexStatus(live, g.name());
    rows->push_back({{"  gsi " + g.name(), std::nullopt},
                     {KeyText(t, g.key().partition_key()), std::nullopt},
                     {KeyText(t, g.key().sort_key()), std::nullopt},
                     {ProjectionText(g.projection()), Color::kDim},
                     {status, StatusColor(status)},
                     {"", std::nullopt},
                     {"", std::nullopt}});
  }
  for (const auto& l : t.local_indexes()) {
    rows->push_back({{"  lsi " + l.name(), std::nullopt},
                     {KeyText(t, t.key().partition_key()), std::nullopt},
                     {KeyText(t, l.sort_key()), std::nullopt},
                     {ProjectionText(l.projection()), Color::kDim},
                     {"", std::nullopt},
                     {"", std::nullopt},
                     {"", std::nullopt}});
  }
}

// Pads every column to its widest cell (the counts column to the right), then paints.
void PrintRows(const Context& ctx, const std::vector<Row>& rows) {
  constexpr size_t kCountColumn = 5;
  std::vector<size_t> width;
  for (const Row& r : rows) {
    width.resize(std::max(width.size(), r.size()));
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].text.size());
  }
  for (const Row& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      const bool last = i + 1 == r.size();
      std::string text = i == kCountColumn ? fmt::format("{:>{}}", r[i].text, width[i])
                         : last            ? r[i].text
                                           : fmt::format("{:<{}}", r[i].text, width[i]);
      line += r[i].color && !r[i].text.empty() ? ctx.Paint(*r[i].color, text) : text;
      if (!last) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    *ctx.out << line << "\n";
  }
}

void PrintText(const Context& ctx, const DynamoTarget& target,
               const std::vector<ddb::LiveTable>& live, const std::set<std::string>& managed) {
  size_t managed_live = 0;
  for (const auto& t : live) managed_live += managed.count(t.table.name());
  if (live.empty()) {
    *ctx.out << fmt::format("No tables on {}.\n", TargetText(target));
    return;
  }
  *ctx.out << fmt::format("{}: {} table{}, {} managed by strata\n\n", TargetText(target),
                          live.size(), live.size() == 1 ? "" : "s", managed_live);
  std::vector<Row> rows;
  rows.push_back({{"TABLE", Color::kDim},
                  {"PARTITION KEY", Color::kDim},
                  {"SORT KEY", Color::kDim},
                  {"BILLING / PROJECTION", Color::kDim},
                  {"STATUS", Color::kDim},
                  {"ITEMS", Color::kDim},
                  {"STRATA", Color::kDim}});
  for (const auto& t : live) AddTableRows(t, managed.count(t.table.name()) > 0, &rows);
  PrintRows(ctx, rows);
  *ctx.out << "\n(item counts are DynamoDB's, refreshed about every six hours)\n";
}

}  // namespace

CommandResult RunList(Context& ctx) {
  po::options_description o("list options");
  AddTargetOptions(o);
  auto vm = ParseArgs(ctx, o, {});
  STRATA_ASSIGN_OR_RETURN(DynamoTarget target, OpenDynamoTarget(ctx, ReadTargetFlags(vm)));
  STRATA_ASSIGN_OR_RETURN(std::vector<ddb::LiveTable> live,
                          ReadLiveTables(ctx, target, std::nullopt));
  const std::set<std::string> managed = ManagedForList(ctx);
  if (!ctx.json) {
    PrintText(ctx, target, live, managed);
    return kExitOk;
  }
  json tables = json::array();
  for (const auto& t : live) tables.push_back(TableJson(t, managed.count(t.table.name()) > 0));
  ctx.PrintJson({{"version", 1}, {"target", TargetJson(target)}, {"tables", tables}});
  return kExitOk;
}

}  // namespace strata::cli
