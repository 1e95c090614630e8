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

// An object as a user names it. Names are the log's keys ("public.users"), or the quoted
// forms show and diff print, with PostgreSQL's double quotes around a name that holds a '.',
// a quote or anything unusual: public."my.table", public.t."a.b" ("" is a quote inside).
struct ObjectRef {
  std::optional<std::string> schema;  // "dynamodb" in "dynamodb:orders"
  std::string name;                   // the names joined by '.', quotes removed: a log key
  // Written with quotes: the names as given, so a command knows where each one ends (blame's
  // OBJECT.PART). Without quotes, `name` is the text as given and every '.' may split it.
  bool quoted = false;
  std::vector<std::string> identifiers;  // quoted only
};

struct FoundObject {
  std::string schema;
  pb::Engine engine = pb::ENGINE_UNSPECIFIED;
  pb::SchemaState fragment;        // just this object
  nlohmann::ordered_json definition;       // DynamoDB: CreateTable JSON; others: the state as JSON
};

// InvalidArgument for an empty name, an unterminated quote, an empty quoted name, or (quoted)
// more names than SCHEMA.OBJECT.PART; a part only where `allow_part`.
Result<ObjectRef> ParseObjectRef(const std::string& text, bool allow_part = false);
// `name` as ParseObjectRef reads it back: each identifier that holds '.', '"' or ':' quoted.
std::string QuotedObjectName(const std::vector<std::string>& identifiers);
// NotFound "no object orders as of seq 3"; InvalidArgument when several schemas have it.
Result<FoundObject> FindObject(const pb::State& state, const ObjectRef& ref, uint64_t seq);

std::string EngineName(pb::Engine engine);
std::vector<std::string> SummaryLines(const pb::SchemaState& schema);
// The lines of one schema held in two parts (engine/index/state_parts.h), in order.
std::vector<std::string> SummaryLines(const pb::SchemaState& first, const pb::SchemaState& second);
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
