// Finding and presenting schema objects: naming (schema:name), lookup in a replayed state,
// and the JSON/text shapes show, diff and blame print.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata::cli {

struct ObjectRef {
  std::optional<std::string> schema;  // "dynamodb" in "dynamodb:orders"
  std::string name;
};

struct FoundObject {
  std::string schema;
  pb::Engine engine = pb::ENGINE_UNSPECIFIED;
  pb::SchemaState fragment;        // just this object
  nlohmann::ordered_json definition;       // DynamoDB: CreateTable JSON; others: the state as JSON
};

Result<ObjectRef> ParseObjectRef(const std::string& text);
// NotFound "no object orders as of seq 3"; InvalidArgument when several schemas have it.
Result<FoundObject> FindObject(const pb::State& state, const ObjectRef& ref, uint64_t seq);

std::string EngineName(pb::Engine engine);
std::vector<std::string> SummaryLines(const pb::SchemaState& schema);
nlohmann::ordered_json StateJson(const pb::State& state);
nlohmann::ordered_json ProtoJson(const google::protobuf::Message& m);

template <typename Map>
std::vector<std::string> SortedKeys(const Map& map) {
  std::vector<std::string> keys;
  for (const auto& [k, _] : map) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace strata::cli
