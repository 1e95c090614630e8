// Reading members of AWS JSON answers. An answer may be of another shape than the API documents
// (an emulator, a proxy, a newer API version, a hostile endpoint): these readers return a null,
// "" or 0 for a member that is missing or of another type, or when the document is not an
// object at all, and never throw. Callers decide whether an empty value is an error.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace strata::aws {

// The member `key` of `object`; a null document when it is absent or `object` is no object.
inline const nlohmann::json& JsonMember(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it != object.end() ? *it : kNull;
}

// The string member `key` of `object`, or "".
inline std::string JsonString(const nlohmann::json& object, const char* key) {
  const nlohmann::json& v = JsonMember(object, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// The integer member `key` of `object`, or 0 (a fraction is cut toward zero).
inline int64_t JsonInt(const nlohmann::json& object, const char* key) {
  const nlohmann::json& v = JsonMember(object, key);
  return v.is_number() ? v.get<int64_t>() : 0;
}

}  // namespace strata::aws
