// Keys of PostgresSchema's maps, which are also the object names the index and users see:
// relations and types "schema.name", functions "schema.name(identity arguments)", namespaces
// by name; extensions, event triggers and foreign servers are keyed by name but named
// "ext:name", "evt:name" and "server:name" so they never clash with a namespace of the same name.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace strata {

inline std::string PgKey(std::string_view schema, std::string_view name) {
  return fmt::format("{}.{}", schema, name);
}

inline std::string PgFunctionKey(std::string_view schema, std::string_view name,
                                 std::string_view identity_arguments) {
  return fmt::format("{}.{}({})", schema, name, identity_arguments);
}

inline std::string PgExtensionObject(std::string_view name) { return fmt::format("ext:{}", name); }

constexpr std::string_view kPgEventTriggerPrefix = "evt:";
constexpr std::string_view kPgForeignServerPrefix = "server:";

inline std::string PgEventTriggerObject(std::string_view name) {
  return fmt::format("{}{}", kPgEventTriggerPrefix, name);
}
inline std::string PgForeignServerObject(std::string_view name) {
  return fmt::format("{}{}", kPgForeignServerPrefix, name);
}

// True for the names of objects that live outside any namespace ("ext:x", "evt:x",
// "server:x", and default privileges "defaults:role/schema/TABLES"): they have no parent, and
// a dot or colon in them is part of the name.
inline bool PgIsGlobalObject(std::string_view object) {
  for (std::string_view prefix : {std::string_view("ext:"), kPgEventTriggerPrefix,
                                  kPgForeignServerPrefix, std::string_view("defaults:")}) {
    if (object.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// A fallback object (PgOtherObject): "kind:schema.name", or "kind:name" outside any schema.
inline std::string PgOtherKey(std::string_view kind, std::string_view schema,
                              std::string_view name) {
  return schema.empty() ? fmt::format("{}:{}", kind, name)
                        : fmt::format("{}:{}.{}", kind, schema, name);
}
template <typename Other>
std::string PgOtherKey(const Other& o) {
  return PgOtherKey(o.kind(), o.schema(), o.name());
}

}  // namespace strata
