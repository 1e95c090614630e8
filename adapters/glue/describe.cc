#include "adapters/glue/describe.h"

#include <fmt/format.h>

#include <map>
#include <string_view>
#include <vector>

#include "adapters/glue/parameters.h"

namespace strata::glue {
namespace {

// SerDe parameter values can be long regular expressions: enough to recognise them.
constexpr size_t kValueWidth = 40;

bool Has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::string ClassName(const std::string& qualified) {
  const size_t dot = qualified.rfind('.');
  return dot == std::string::npos ? qualified : qualified.substr(dot + 1);
}

std::string Shortened(const std::string& value) {
  if (value.size() <= kValueWidth) return value;
  return fmt::format("{}...", std::string_view(value).substr(0, kValueWidth));
}

std::string ColumnText(const pb::GlueColumn& c) {
  std::string s = c.name() + " " + c.type();
  if (!c.comment().empty()) s += fmt::format(" comment '{}'", c.comment());
  return s;
}

// What changed in a column: "column amount type int -> bigint", "column id comment 'a' ->
// 'b'"; the whole new column when the change does not say what it was.
std::string AlterColumnText(const pb::GlueAlterColumn& e) {
  const pb::GlueColumn& now = e.column();
  if (!e.has_before()) return "column " + ColumnText(now);
  const pb::GlueColumn& was = e.before();
  std::vector<std::string> parts;
  if (was.type() != now.type()) parts.push_back(fmt::format("type {} -> {}", was.type(), now.type()));
  if (was.comment() != now.comment()) {
    auto quoted = [](const std::string& c) {
      return c.empty() ? std::string("(none)") : "'" + Shortened(c) + "'";
    };
    parts.push_back(fmt::format("comment {} -> {}", quoted(was.comment()), quoted(now.comment())));
  }
  if (parts.empty()) return "column " + ColumnText(now);
  return fmt::format("column {} {}", now.name(), fmt::join(parts, ", "));
}

std::string SerDeText(const pb::GlueSerDe& serde) {
  if (serde.serialization_library().empty() && serde.parameters().empty()) return "serde (none)";
  std::string s = "serde " + (serde.serialization_library().empty()
                                  ? std::string("(no library)")
                                  : ClassName(serde.serialization_library()));
  std::map<std::string, std::string> sorted(serde.parameters().begin(), serde.parameters().end());
  std::vector<std::string> params;
  for (const auto& [k, v] : sorted) params.push_back(fmt::format("{}='{}'", k, Shortened(v)));
  if (!params.empty()) s += fmt::format(" ({})", fmt::join(params, ", "));
  return s;
}

std::string FormatsText(const pb::GlueSetFormats& e) {
  pb::GlueTable t;
  t.set_input_format(e.input_format());
  t.set_output_format(e.output_format());
  const std::string word = FormatWord(t);
  if (word != "-" && word != ClassName(e.input_format())) return "formats " + word;
  return fmt::format("formats {} / {}", e.input_format().empty() ? "(none)" : e.input_format(),
                     e.output_format().empty() ? "(none)" : e.output_format());
}

}  // namespace

std::string ColumnsText(const google::protobuf::RepeatedPtrField<pb::GlueColumn>& columns) {
  std::vector<std::string> parts;
  for (const auto& c : columns) parts.push_back(c.name() + " " + c.type());
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string DescribeChange(const pb::GlueChange& c) {
  using C = pb::GlueChange;
  switch (c.kind_case()) {
    case C::kCreateDatabase: return "create database";
    case C::kDropDatabase: return "drop database (and every table in it)";
    case C::kUpdateDatabase: return "database properties";
    case C::kCreateTable: {
      const pb::GlueTable& t = c.create_table().table();
      std::string s = fmt::format("create table ({} column{}", t.columns_size(),
                                  t.columns_size() == 1 ? "" : "s");
      if (t.partition_keys_size() > 0) {
        s += fmt::format(", partitioned by ({})", ColumnsText(t.partition_keys()));
      }
      return s + ", " + FormatWord(t) + ")";
    }
    case C::kDropTable: return "drop table";
    case C::kAddColumn: return "column " + ColumnText(c.add_column().column());
    case C::kDropColumn: return "column " + c.drop_column().column();
    case C::kAlterColumn: return AlterColumnText(c.alter_column());
    case C::kReorderColumns:
      return fmt::format("column order ({})", fmt::join(c.reorder_columns().columns(), ", "));
    case C::kSetPartitionKeys:
      return c.set_partition_keys().partition_keys().empty()
                 ? "partition keys (none)"
                 : fmt::format("partition keys ({})",
                               ColumnsText(c.set_partition_keys().partition_keys()));
    case C::kSetLocation:
      return c.set_location().location().empty() ? "location (none)"
                                                 : "location " + c.set_location().location();
    case C::kSetFormats: return FormatsText(c.set_formats());
    case C::kSetSerde: return SerDeText(c.set_serde().serde());
    case C::kSetTableType:
      return c.set_table_type().table_type().empty()
                 ? "table type (none)"
                 : "table type " + c.set_table_type().table_type();
    case C::kSetDescription:
      return c.set_description().description().empty()
                 ? "description (none)"
                 : fmt::format("description '{}'", c.set_description().description());
    case C::kSetTableParameter:
      // The table COMMENT is a parameter in Glue, and a clause of its own in DDL.
      if (c.set_table_parameter().key() == kCommentParameter) {
        return fmt::format("comment '{}'", c.set_table_parameter().value());
      }
      return fmt::format("table property {} = '{}'", c.set_table_parameter().key(),
                         Shortened(c.set_table_parameter().value()));
    case C::kRemoveTableParameter:
      if (c.remove_table_parameter().key() == kCommentParameter) return "comment (none)";
      return "table property " + c.remove_table_parameter().key();
    case C::kSetBucketing: {
      const pb::GlueSetBucketing& b = c.set_bucketing();
      if (b.num_buckets() <= 0 && b.bucket_columns().empty()) return "bucketing (none)";
      std::string s = fmt::format("clustered by ({}) into {} bucket{}",
                                  fmt::join(b.bucket_columns(), ", "), b.num_buckets(),
                                  b.num_buckets() == 1 ? "" : "s");
      if (!b.sort_columns().empty()) {
        std::vector<std::string> sorted;
        for (const auto& col : b.sort_columns()) {
          sorted.push_back(col.column() + (col.descending() ? " desc" : " asc"));
        }
        s += fmt::format(", sorted by ({})", fmt::join(sorted, ", "));
      }
      return s;
    }
    case C::KIND_NOT_SET: break;
  }
  return "unknown change";
}

std::string FormatWord(const pb::GlueTable& t) {
  for (const auto& [k, v] : t.parameters()) {
    if (k == "table_type" && (v == "ICEBERG" || v == "iceberg")) return "iceberg";
    if (k == "table_type" && (v == "DELTA" || v == "delta")) return "delta";
  }
  const std::string& serde = t.serde().serialization_library();
  const std::string& in = t.input_format();
  if (Has(in, "Hoodie")) return "hudi";
  if (Has(serde, "Parquet") || Has(in, "Parquet")) return "parquet";
  if (Has(serde, "Orc") || Has(in, "Orc")) return "orc";
  if (Has(serde, "Avro") || Has(in, "Avro")) return "avro";
  if (Has(serde, "OpenCSVSerde")) return "csv";
  if (Has(serde, "JsonSerDe")) return "json";
  if (Has(serde, "RegexSerDe")) return "regex";
  if (Has(serde, "GrokSerDe")) return "grok";
  if (Has(serde, "Ion") || Has(in, "Ion")) return "ion";
  if (Has(serde, "CloudTrail") || Has(in, "CloudTrail")) return "cloudtrail";
  if (Has(in, "RCFile")) return "rcfile";
  if (Has(in, "SequenceFile")) return "sequencefile";
  if (Has(serde, "LazySimpleSerDe") || Has(in, "TextInputFormat")) return "text";
  if (!serde.empty()) return ClassName(serde);
  if (!in.empty()) return ClassName(in);
  return "-";
}

std::string SummaryLine(const std::string& database, const pb::GlueTable& t) {
  std::string s = fmt::format("{}.{}  {} column{}", database, t.name(), t.columns_size(),
                              t.columns_size() == 1 ? "" : "s");
  if (t.partition_keys_size() > 0) {
    s += fmt::format("  partitioned by ({})", ColumnsText(t.partition_keys()));
  }
  s += "  " + FormatWord(t);
  if (!t.location().empty()) s += "  " + t.location();
  return s;
}

}  // namespace strata::glue
