#include "cli/objects_view.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>

#include "adapters/dynamodb/render.h"
#include "engine/state/fragments.h"

namespace strata::cli {

nlohmann::ordered_json ProtoJson(const google::protobuf::Message& m) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &text, options);
  return nlohmann::ordered_json::parse(text, nullptr, false);
}

std::string EngineName(pb::Engine engine) {
  switch (engine) {
    case pb::ENGINE_DYNAMODB: return "dynamodb";
    case pb::ENGINE_GLUE: return "glue";
    case pb::ENGINE_POSTGRES: return "postgres";
    default: return "unspecified";
  }
}

Result<ObjectRef> ParseObjectRef(const std::string& text) {
  ObjectRef ref;
  size_t colon = text.find(':');
  if (colon != std::string::npos && text.rfind("ext:", 0) != 0) {
    ref.schema = text.substr(0, colon);
    ref.name = text.substr(colon + 1);
  } else {
    ref.name = text;
  }
  if (ref.name.empty()) {
    return Status::InvalidArgument(fmt::format("\"{}\" names no object; use NAME or SCHEMA:NAME", text));
  }
  return ref;
}

namespace {

nlohmann::ordered_json Definition(const pb::SchemaState& fragment) {
  if (fragment.has_dynamodb() && fragment.dynamodb().tables_size() == 1) {
    return dynamodb::RenderCreateTable(fragment.dynamodb().tables().begin()->second);
  }
  return ProtoJson(fragment);
}

}  // namespace

Result<FoundObject> FindObject(const pb::State& state, const ObjectRef& ref, uint64_t seq) {
  std::vector<FoundObject> found;
  for (const auto& name : SortedKeys(state.schemas())) {
    if (ref.schema && *ref.schema != name) continue;
    const pb::SchemaState& schema = state.schemas().at(name);
    for (const auto& [object, bytes] : SplitSchema(schema)) {
      if (object != ref.name) continue;
      FoundObject f;
      f.schema = name;
      f.engine = schema.engine();
      (void)f.fragment.ParseFromString(bytes);
      f.definition = Definition(f.fragment);
      found.push_back(std::move(f));
    }
  }
  if (found.empty()) {
    return Status::NotFound(fmt::format("no object {} as of seq {}{}", ref.name, seq,
                                        ref.schema ? " in schema " + *ref.schema : ""));
  }
  if (found.size() > 1) {
    std::string names;
    for (const auto& f : found) names += (names.empty() ? "" : ", ") + f.schema + ":" + ref.name;
    return Status::InvalidArgument(
        fmt::format("{} exists in several schemas; name one of: {}", ref.name, names));
  }
  return std::move(found.front());
}

namespace {

std::string TypeLetter(const pb::DynamoTable& t, const std::string& attr) {
  for (const auto& a : t.attributes()) {
    if (a.name() == attr) return std::string(dynamodb::AttributeTypeName(a.type()));
  }
  return "?";
}

std::string DynamoSummary(const pb::DynamoTable& t) {
  std::string s = fmt::format("{}  PK {} ({})", t.name(), t.key().partition_key(),
                              TypeLetter(t, t.key().partition_key()));
  if (!t.key().sort_key().empty()) {
    s += fmt::format("  SK {} ({})", t.key().sort_key(), TypeLetter(t, t.key().sort_key()));
  }
  std::vector<std::string> gsis, lsis;
  for (const auto& g : t.global_indexes()) gsis.push_back(g.name());
  for (const auto& l : t.local_indexes()) lsis.push_back(l.name());
  if (!gsis.empty()) s += "  GSI " + fmt::format("{}", fmt::join(gsis, ","));
  if (!lsis.empty()) s += "  LSI " + fmt::format("{}", fmt::join(lsis, ","));
  s += t.billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED
           ? fmt::format("  provisioned {}/{}", t.throughput().read_capacity_units(),
                         t.throughput().write_capacity_units())
           : "  on-demand";
  return s;
}

}  // namespace

std::vector<std::string> SummaryLines(const pb::SchemaState& schema) {
  std::vector<std::string> lines;
  if (schema.has_dynamodb()) {
    for (const auto& name : SortedKeys(schema.dynamodb().tables())) {
      lines.push_back(DynamoSummary(schema.dynamodb().tables().at(name)));
    }
    return lines;
  }
  for (const auto& [object, _] : SplitSchema(schema)) {
    if (!object.empty()) lines.push_back(object);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

nlohmann::ordered_json StateJson(const pb::State& state) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& name : SortedKeys(state.schemas())) {
    const pb::SchemaState& schema = state.schemas().at(name);
    nlohmann::ordered_json objects = nlohmann::ordered_json::object();
    if (schema.has_dynamodb()) {
      for (const auto& t : SortedKeys(schema.dynamodb().tables())) {
        objects[t] = dynamodb::RenderCreateTable(schema.dynamodb().tables().at(t));
      }
    } else {
      for (const auto& [object, bytes] : SplitSchema(schema)) {
        pb::SchemaState f;
        (void)f.ParseFromString(bytes);
        if (!object.empty()) objects[object] = ProtoJson(f);
      }
    }
    out[name] = {{"engine", EngineName(schema.engine())}, {"objects", objects}};
  }
  return out;
}

}  // namespace strata::cli
