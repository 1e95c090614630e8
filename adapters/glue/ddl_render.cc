// RenderCreateTable: the one canonical spelling of a table, clause by clause in Hive's order,
// each property list sorted, every name backquoted and every literal single-quoted.
#include <fmt/format.h>

#include <map>
#include <string>

#include "adapters/glue/ddl.h"
#include "adapters/glue/ddl_formats.h"
#include "adapters/glue/ddl_literal.h"

namespace strata::glue {
namespace {

using Params = google::protobuf::Map<std::string, std::string>;

// A backquoted name; a backquote inside is doubled.
std::string Quoted(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}

void ColumnList(const google::protobuf::RepeatedPtrField<pb::GlueColumn>& columns,
                std::string* out) {
  *out += "(\n";
  for (int i = 0; i < columns.size(); ++i) {
    const pb::GlueColumn& c = columns.Get(i);
    *out += fmt::format("  {} {}", Quoted(c.name()), c.type());
    if (!c.comment().empty()) *out += " COMMENT " + QuoteHiveString(c.comment());
    *out += i + 1 < columns.size() ? ",\n" : "\n";
  }
  *out += ")\n";
}

// ( 'k' = 'v', … ) in key order, leaving out what `skip` says.
template <typename Skip>
std::string PropertyList(const Params& params, Skip skip) {
  std::map<std::string, std::string> sorted;
  for (const auto& [k, v] : params) {
    if (!skip(k, v)) sorted.emplace(k, v);
  }
  if (sorted.empty()) return "";
  std::string out = "(\n";
  size_t i = 0;
  for (const auto& [k, v] : sorted) {
    out += fmt::format("  {} = {}{}\n", QuoteHiveString(k), QuoteHiveString(v),
                       ++i < sorted.size() ? "," : "");
  }
  return out + ")\n";
}

void Bucketing(const pb::GlueTable& t, std::string* out) {
  if (t.bucket_columns().empty() && t.num_buckets() <= 0) return;
  std::string names;
  for (const auto& name : t.bucket_columns()) names += (names.empty() ? "" : ", ") + Quoted(name);
  *out += fmt::format("CLUSTERED BY ({})\n", names);
  if (!t.sort_columns().empty()) {
    std::string sorts;
    for (const auto& s : t.sort_columns()) {
      sorts += fmt::format("{}{} {}", sorts.empty() ? "" : ", ", Quoted(s.column()),
                           s.descending() ? "DESC" : "ASC");
    }
    *out += fmt::format("SORTED BY ({})\n", sorts);
  }
  *out += fmt::format("INTO {} BUCKETS\n", t.num_buckets());
}

// serialization.format=1 is left out: reading adds it to every table, as Hive does.
void SerDe(const pb::GlueTable& t, std::string* out) {
  if (!t.has_serde()) return;
  *out += "ROW FORMAT SERDE " + QuoteHiveString(t.serde().serialization_library()) + "\n";
  std::string props = PropertyList(t.serde().parameters(), [](const auto& k, const auto& v) {
    return k == kSerializationFormat && v == kDefaultSerializationFormat;
  });
  if (!props.empty()) *out += "WITH SERDEPROPERTIES " + props;
}

}  // namespace

std::string RenderCreateTable(const std::string& database, const pb::GlueTable& table) {
  std::string out = "CREATE EXTERNAL TABLE ";
  if (!database.empty()) out += Quoted(database) + ".";
  out += Quoted(table.name());
  if (table.columns().empty()) {
    out += "\n";
  } else {
    out += " ";
    ColumnList(table.columns(), &out);
  }
  // Hive keeps the table comment as the "comment" parameter.
  if (auto it = table.parameters().find("comment"); it != table.parameters().end()) {
    out += "COMMENT " + QuoteHiveString(it->second) + "\n";
  }
  if (!table.partition_keys().empty()) {
    out += "PARTITIONED BY ";
    ColumnList(table.partition_keys(), &out);
  }
  Bucketing(table, &out);
  SerDe(table, &out);
  if (!table.input_format().empty() || !table.output_format().empty()) {
    out += "STORED AS INPUTFORMAT " + QuoteHiveString(table.input_format()) + "\n";
    out += "OUTPUTFORMAT " + QuoteHiveString(table.output_format()) + "\n";
  }
  if (!table.location().empty()) out += "LOCATION " + QuoteHiveString(table.location()) + "\n";
  std::string props =
      PropertyList(table.parameters(), [](const auto& k, const auto&) { return k == "comment"; });
  if (!props.empty()) out += "TBLPROPERTIES " + props;
  out.pop_back();  // the last clause's newline goes after the ';'
  return out + ";\n";
}

}  // namespace strata::glue
