#include "cli/objects_view.h"

#include <fmt/format.h>

#include <algorithm>

#include "adapters/backend/registry.h"
#include "engine/state/fragments.h"
#include "engine/state/postgres_keys.h"

namespace strata::cli {

nlohmann::ordered_json ProtoJson(const google::protobuf::Message& m) {
  return backend::ProtoJson(m);
}

std::string EngineName(pb::Engine engine) {
  const backend::Backend* b = backend::ForEngine(engine);
  if (b != nullptr) return std::string(b->name());
  return engine == pb::ENGINE_GLUE ? "glue" : "unspecified";
}

namespace {

constexpr char kNameForms[] =
    "use NAME, SCHEMA:NAME, or the quoted form show prints, as in public.\"my.table\"";

// The identifiers of a name written with double quotes: "a.b" is one identifier, "" inside
// quotes is a quote, and unquoted text splits at '.'. From an unquoted '(' on (a function's
// arguments) the text belongs to the last identifier as it is.
Result<std::vector<std::string>> SplitQuoted(std::string_view text, std::string_view shown) {
  std::vector<std::string> out(1);
  bool quoted_here = false;  // the current identifier had quotes (so it may be empty)
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      const size_t start = ++i;
      for (; i < text.size(); ++i) {
        if (text[i] != '"') continue;
        if (i + 1 < text.size() && text[i + 1] == '"') {
          ++i;
          continue;
        }
        break;
      }
      if (i >= text.size()) {
        return Status::InvalidArgument(fmt::format(
            "\"{}\" has a quote that is never closed; {} (write a quote inside quotes as \"\")",
            shown, kNameForms));
      }
      std::string name(text.substr(start, i - start));
      for (size_t at = name.find("\"\""); at != std::string::npos; at = name.find("\"\"", at + 1)) {
        name.erase(at, 1);
      }
      out.back() += name;
      quoted_here = true;
    } else if (c == '.') {
      if (out.back().empty() && !quoted_here) break;  // checked below
      out.emplace_back();
      quoted_here = false;
    } else if (c == '(') {
      out.back() += std::string(text.substr(i));
      break;
    } else {
      out.back() += c;
    }
  }
  for (const std::string& name : out) {
    if (name.empty()) {
      return Status::InvalidArgument(
          fmt::format("\"{}\" holds an empty name; {}", shown, kNameForms));
    }
  }
  return out;
}

// "SCHEMA:" before the name, when the text starts with one: a ':' before any quote, and not
// the prefix of an object outside any schema ("ext:", "evt:", "server:", "defaults:").
size_t SchemaColon(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon > text.find('"') || PgIsGlobalObject(text)) {
    return std::string::npos;
  }
  return colon;
}

}  // namespace

std::string QuotedObjectName(const std::vector<std::string>& identifiers) {
  std::string out;
  for (const std::string& id : identifiers) {
    if (!out.empty()) out += '.';
    if (id.find_first_of(".\":") == std::string::npos && !id.empty()) {
      out += id;
      continue;
    }
    out += '"';
    for (char c : id) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += '"';
  }
  return out;
}

Result<ObjectRef> ParseObjectRef(const std::string& text, bool allow_part) {
  ObjectRef ref;
  const size_t colon = SchemaColon(text);
  if (colon != std::string::npos) ref.schema = text.substr(0, colon);
  const std::string name = colon == std::string::npos ? text : text.substr(colon + 1);
  if (name.empty()) {
    return Status::InvalidArgument(fmt::format("\"{}\" names no object; {}", text, kNameForms));
  }
  if (name.find('"') == std::string::npos) {
    ref.name = name;
    return ref;
  }
  STRATA_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitQuoted(name, text));
  const size_t most = allow_part ? 3 : 2;
  if (ids.size() > most) {
    return Status::InvalidArgument(fmt::format(
        "\"{}\" has {} names where {} takes at most {} (SCHEMA.OBJECT{}); quote a name that "
        "holds a '.', as in public.\"my.table\"",
        text, ids.size(), allow_part ? "this command" : "an object name", most,
        allow_part ? ".PART" : ""));
  }
  ref.quoted = true;
  ref.name = fmt::format("{}", fmt::join(ids, "."));
  ref.identifiers = std::move(ids);
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

std::vector<std::string> SummaryLines(const pb::SchemaState& first,
                                      const pb::SchemaState& second) {
  const backend::Backend* b = backend::ForEngine(first.engine());
  if (b != nullptr) return b->SummaryLinesOfParts(first, second);
  std::vector<std::string> lines = SummaryLines(first);
  for (auto& line : SummaryLines(second)) lines.push_back(std::move(line));
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
