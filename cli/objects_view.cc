#include "cli/objects_view.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>

#include "adapters/backend/registry.h"
#include "engine/state/fragments.h"
#include "engine/state/postgres_keys.h"

namespace strata::cli {

nlohmann::ordered_json ProtoJson(const google::protobuf::Message& m) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &text, options);
  return nlohmann::ordered_json::parse(text, nullptr, false);
}

std::string EngineName(pb::Engine engine) {
  const backend::Backend* b = backend::ForEngine(engine);
  if (b != nullptr) return std::string(b->name());
  return engine == pb::ENGINE_GLUE ? "glue" : "unspecified";
}

Result<ObjectRef> ParseObjectRef(const std::string& text) {
  ObjectRef ref;
  size_t colon = text.find(':');
  if (colon != std::string::npos && !PgIsGlobalObject(text)) {
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
  const backend::Backend* b = backend::ForEngine(fragment.engine());
  return b != nullptr ? b->ObjectJson(fragment) : ProtoJson(fragment);
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

std::vector<std::string> SummaryLines(const pb::SchemaState& schema) {
  const backend::Backend* b = backend::ForEngine(schema.engine());
  if (b != nullptr) return b->SummaryLines(schema);
  std::vector<std::string> lines;
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
    auto fragments = SplitSchema(schema);
    std::sort(fragments.begin(), fragments.end());
    for (const auto& [object, bytes] : fragments) {
      pb::SchemaState f;
      (void)f.ParseFromString(bytes);
      if (!object.empty()) objects[object] = Definition(f);
    }
    out[name] = {{"engine", EngineName(schema.engine())}, {"objects", objects}};
  }
  return out;
}

}  // namespace strata::cli
