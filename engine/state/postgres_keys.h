// Keys of PostgresSchema's maps, which are also the object names the index and users see:
// relations and types "schema.name", functions "schema.name(identity arguments)", namespaces
// by name; extensions are keyed by name but named "ext:name" so they never clash with a
// namespace of the same name.
#pragma once

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
