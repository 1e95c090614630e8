#include "adapters/glue/table_input.h"

#include <cctype>
#include <cstdint>
#include <functional>

#include "adapters/aws/json_members.h"
#include "adapters/glue/ddl_types.h"
#include "engine/state/canonical_glue_postgres.h"

namespace strata::glue {
namespace {

using nlohmann::json;

// Column comments that say nothing: SerDes with their own schema (JSON, Grok, CloudTrail)
// answer "from deserializer", and Hive persists it on the next ALTER if it is written back.
constexpr char kFromDeserializer[] = "from deserializer";

// The members TableInput (and its parts) accept, as GetTable answers them.
const char* const kTableInputMembers[] = {
    "Name",          "Description",      "Owner",       "LastAccessTime",   "LastAnalyzedTime",
    "Retention",     "StorageDescriptor", "PartitionKeys", "ViewOriginalText", "ViewExpandedText",
    "TableType",     "Parameters",       "TargetTable"};
const char* const kStorageDescriptorMembers[] = {
    "Columns",     "Location",   "AdditionalLocations", "InputFormat", "OutputFormat",
    "Compressed",  "NumberOfBuckets", "SerdeInfo",      "BucketColumns", "SortColumns",
    "Parameters",  "SkewedInfo", "StoredAsSubDirectories", "SchemaReference"};
const char* const kSerDeMembers[] = {"Name", "SerializationLibrary", "Parameters"};
const char* const kColumnMembers[] = {"Name", "Type", "Comment", "Parameters"};

template <size_t N>
json Pick(const json& object, const char* const (&members)[N]) {
  json out = json::object();
  if (!object.is_object()) return out;
  for (const char* m : members) {
    if (auto it = object.find(m); it != object.end() && !it->is_null()) out[m] = *it;
  }
  return out;
}

// json::empty() is false for every string, "" included: strings are checked apart.
bool IsEmpty(const json& v) {
  if (v.is_string()) return v.get_ref<const std::string&>().empty();
  return v.is_null() || ((v.is_array() || v.is_object()) && v.empty());
}

using KeepTableKey = std::function<bool(const std::string& key)>;
using KeepSerDeKey = std::function<bool(const std::string& key, const std::string& value)>;

pb::GlueColumn ColumnFromGlue(const json& c) {
  pb::GlueColumn column;
  column.set_name(Lower(aws::JsonString(c, "Name")));
  column.set_type(CanonicalColumnType(aws::JsonString(c, "Type")));
  const std::string comment = aws::JsonString(c, "Comment");
  if (comment != kFromDeserializer) column.set_comment(comment);
  return column;
}

void ColumnsFromGlue(const json& list, google::protobuf::RepeatedPtrField<pb::GlueColumn>* out) {
  if (!list.is_array()) return;
  for (const auto& c : list) *out->Add() = ColumnFromGlue(c);
}

void ParametersFromGlue(const json& map, const std::function<bool(const std::string&,
                                                                  const std::string&)>& keep,
                        google::protobuf::Map<std::string, std::string>* out) {
  if (!map.is_object()) return;
  for (const auto& [k, v] : map.items()) {
    if (!v.is_string()) continue;
    if (keep(k, v.get<std::string>())) (*out)[k] = v.get<std::string>();
  }
}

// Glue's NumberOfBuckets, BucketColumns and SortColumns (SortOrder 1 ascending, 0 descending).
// A sort order outside buckets says nothing Hive would use, so only a bucketed table has one.
void BucketingFromGlue(const json& sd, pb::GlueTable* m) {
  const json& count = aws::JsonMember(sd, "NumberOfBuckets");
  if (!count.is_number_integer() || count.get<int64_t>() <= 0) return;
  m->set_num_buckets(count.get<int32_t>());
  for (const auto& c : aws::JsonMember(sd, "BucketColumns")) {
    if (c.is_string()) m->add_bucket_columns(Lower(c.get<std::string>()));
  }
  for (const auto& c : aws::JsonMember(sd, "SortColumns")) {
    pb::GlueSortColumn* sort = m->add_sort_columns();
    sort->set_column(Lower(aws::JsonString(c, "Column")));
    const json& order = aws::JsonMember(c, "SortOrder");
    sort->set_descending(order.is_number_integer() && order.get<int>() == 0);
  }
}

// Sets the storage descriptor's bucketing to the desired table's. An unbucketed table that is
// unbucketed already keeps Glue's spelling of it (-1, 0, or nothing at all).
void PutBucketing(json& sd, const pb::GlueTable& d) {
  const json& live_count = aws::JsonMember(sd, "NumberOfBuckets");
  const bool live_bucketed = (live_count.is_number_integer() && live_count.get<int64_t>() > 0) ||
                             !IsEmpty(aws::JsonMember(sd, "BucketColumns"));
  if (d.num_buckets() <= 0 && !live_bucketed) return;
  sd["NumberOfBuckets"] = d.num_buckets() > 0 ? d.num_buckets() : -1;
  sd["BucketColumns"] = json::array();
  for (const auto& c : d.bucket_columns()) sd["BucketColumns"].push_back(c);
  sd["SortColumns"] = json::array();
  for (const auto& c : d.sort_columns()) {
    sd["SortColumns"].push_back({{"Column", c.column()}, {"SortOrder", c.descending() ? 0 : 1}});
  }
}

pb::GlueTable Model(const json& t, const KeepTableKey& keep_table, const KeepSerDeKey& keep_serde) {
  pb::GlueTable m;
  m.set_name(Lower(aws::JsonString(t, "Name")));
  const json& sd = aws::JsonMember(t, "StorageDescriptor");
  ColumnsFromGlue(aws::JsonMember(sd, "Columns"), m.mutable_columns());
  ColumnsFromGlue(aws::JsonMember(t, "PartitionKeys"), m.mutable_partition_keys());
  m.set_location(aws::JsonString(sd, "Location"));
  m.set_input_format(aws::JsonString(sd, "InputFormat"));
  m.set_output_format(aws::JsonString(sd, "OutputFormat"));
  const json& serde = aws::JsonMember(sd, "SerdeInfo");
  m.mutable_serde()->set_serialization_library(aws::JsonString(serde, "SerializationLibrary"));
  ParametersFromGlue(aws::JsonMember(serde, "Parameters"), keep_serde,
                     m.mutable_serde()->mutable_parameters());
  // Hive writes serialization.format=1 on every table, and reading DDL adds it (ddl.h): a live
  // table with a SerDe but without it is the same table.
  if (serde.is_object()) {
    m.mutable_serde()->mutable_parameters()->insert({"serialization.format", "1"});
  }
  BucketingFromGlue(sd, &m);
  m.set_table_type(aws::JsonString(t, "TableType"));
  ParametersFromGlue(
      aws::JsonMember(t, "Parameters"),
      [&keep_table](const std::string& k, const std::string&) { return keep_table(k); },
      m.mutable_parameters());
  CanonicalizeGlueTable(&m);
  return m;
}

json ColumnsInput(const google::protobuf::RepeatedPtrField<pb::GlueColumn>& columns,
                  const json& live) {
  json out = json::array();
  for (const auto& c : columns) {
    json j = {{"Name", c.name()}, {"Type", c.type()}};
    if (!c.comment().empty()) j["Comment"] = c.comment();
    // A column's own parameters (Iceberg's field ids, for one) are not strata's: carried.
    if (live.is_array()) {
      for (const auto& l : live) {
        if (Lower(aws::JsonString(l, "Name")) == c.name() &&
            aws::JsonMember(l, "Parameters").is_object()) {
          j["Parameters"] = l["Parameters"];
        }
      }
    }
    out.push_back(std::move(j));
  }
  return out;
}

json ParametersInput(const google::protobuf::Map<std::string, std::string>& params) {
  json out = json::object();
  for (const auto& [k, v] : params) out[k] = v;
  return out;
}

// `live` with each managed key set as `desired` has it, or removed.
json Merged(const json& live, const json& desired, const std::set<std::string>& managed) {
  json out = live.is_object() ? live : json::object();
  for (const auto& k : managed) out.erase(k);
  for (const auto& [k, v] : desired.items()) out[k] = v;
  return out;
}

// Sets `key` to `value`, leaving an empty value out unless the member was there already (so
// an input read from Glue keeps its shape, and a new one has no empty members).
void Put(json& object, const char* key, json value) {
  if (IsEmpty(value) && !object.contains(key)) return;
  if (value.is_string() && IsEmpty(value)) {
    object.erase(key);
    return;
  }
  object[key] = std::move(value);
}

json Pruned(const json& v) {
  if (v.is_object()) {
    json out = json::object();
    for (const auto& [k, x] : v.items()) {
      json p = Pruned(x);
      if (!IsEmpty(p)) out[k] = std::move(p);
    }
    return out;
  }
  if (v.is_array()) {
    json out = json::array();
    for (const auto& x : v) out.push_back(Pruned(x));
    return out;
  }
  return v;
}

}  // namespace

std::string CanonicalColumnType(std::string_view type) {
  // The parser's stored form, so that a table read from Glue and the same table read from its
  // DDL file agree; a type the parser does not know (Glue stores any text) keeps its text with
  // the spaces taken out and letters outside quotes in lower case.
  if (auto stored = NormalizeHiveType(type); stored.ok()) return *stored;
  std::string out;
  char quote = 0;
  for (char c : type) {
    if (quote != 0) {
      out += c;
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"' || c == '`') {
      quote = c;
      out += c;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

pb::GlueTable TableFromGlue(const json& table, const pb::GlueTable* known) {
  return Model(
      table,
      [known](const std::string& k) {
        return !IsServerManagedTableParameter(k) ||
               (known != nullptr && known->parameters().count(k) > 0);
      },
      [](const std::string&, const std::string&) { return true; });
}

pb::GlueTable TableForPlan(const json& table, const ManagedKeys& managed) {
  return Model(
      table, [&managed](const std::string& k) { return managed.table.count(k) > 0; },
      [&managed](const std::string& k, const std::string&) { return managed.serde.count(k) > 0; });
}

json NewTableInput(const pb::GlueTable& d) {
  json in = {{"Name", d.name()}};
  Put(in, "Description", d.description());
  Put(in, "TableType", d.table_type());
  in["PartitionKeys"] = ColumnsInput(d.partition_keys(), json());
  json sd = {{"Columns", ColumnsInput(d.columns(), json())}};
  Put(sd, "Location", d.location());
  Put(sd, "InputFormat", d.input_format());
  Put(sd, "OutputFormat", d.output_format());
  sd["NumberOfBuckets"] = -1;
  PutBucketing(sd, d);
  if (d.has_serde()) {
    json serde = json::object();
    Put(serde, "SerializationLibrary", d.serde().serialization_library());
    json params = ParametersInput(d.serde().parameters());
    if (!params.contains("serialization.format")) params["serialization.format"] = "1";
    serde["Parameters"] = std::move(params);
    sd["SerdeInfo"] = std::move(serde);
  }
  in["StorageDescriptor"] = std::move(sd);
  json params = ParametersInput(d.parameters());
  if (d.table_type() == "EXTERNAL_TABLE" && !params.contains("EXTERNAL")) params["EXTERNAL"] = "TRUE";
  Put(in, "Parameters", std::move(params));
  return in;
}

json TableInputOf(const json& table) {
  json in = Pick(table, kTableInputMembers);
  if (in.contains("StorageDescriptor")) {
    json sd = Pick(in["StorageDescriptor"], kStorageDescriptorMembers);
    if (sd.contains("SerdeInfo")) sd["SerdeInfo"] = Pick(sd["SerdeInfo"], kSerDeMembers);
    if (sd.contains("Columns") && sd["Columns"].is_array()) {
      for (auto& c : sd["Columns"]) c = Pick(c, kColumnMembers);
    }
    in["StorageDescriptor"] = std::move(sd);
  }
  if (in.contains("PartitionKeys") && in["PartitionKeys"].is_array()) {
    for (auto& c : in["PartitionKeys"]) c = Pick(c, kColumnMembers);
  }
  return in;
}

json UpdatedTableInput(const json& live, const pb::GlueTable& d, const ManagedKeys& managed) {
  json in = TableInputOf(live);
  in["Name"] = d.name();
  // Glue's Description is not the table COMMENT (that is the "comment" parameter) and no table
  // file can say it: kept unless the desired table names one.
  if (!d.description().empty()) in["Description"] = d.description();
  // A table without a TableType breaks SHOW CREATE TABLE and MSCK: never remove it.
  if (!d.table_type().empty()) in["TableType"] = d.table_type();
  Put(in, "PartitionKeys",
      ColumnsInput(d.partition_keys(), aws::JsonMember(live, "PartitionKeys")));
  json sd = in.value("StorageDescriptor", json::object());
  const json& live_sd = aws::JsonMember(live, "StorageDescriptor");
  Put(sd, "Columns", ColumnsInput(d.columns(), aws::JsonMember(live_sd, "Columns")));
  Put(sd, "Location", d.location());
  Put(sd, "InputFormat", d.input_format());
  Put(sd, "OutputFormat", d.output_format());
  PutBucketing(sd, d);
  json serde = sd.value("SerdeInfo", json::object());
  Put(serde, "SerializationLibrary", d.serde().serialization_library());
  Put(serde, "Parameters",
      Merged(aws::JsonMember(serde, "Parameters"), ParametersInput(d.serde().parameters()),
             managed.serde));
  Put(sd, "SerdeInfo", std::move(serde));
  Put(in, "StorageDescriptor", std::move(sd));
  Put(in, "Parameters",
      Merged(aws::JsonMember(in, "Parameters"), ParametersInput(d.parameters()), managed.table));
  return in;
}

bool SameTableInput(const json& a, const json& b) { return Pruned(a) == Pruned(b); }

}  // namespace strata::glue
