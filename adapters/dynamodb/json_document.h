// JsonDocument: a JSON document that remembers the line each value starts on, so that errors
// found long after parsing (a table file's rules, a snapshot's tables) can still say
// "FILE:LINE". nlohmann's SAX parser feeds a recorder that builds the value and notes the line
// of every JSON pointer; duplicate keys are errors rather than silently last-wins. Immutable
// once parsed, so safe to read from several threads.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "engine/status.h"

namespace strata::dynamodb {

// Lines are 1-based; an object member's line is that of its key.
class JsonDocument {
 public:
  using Pointer = nlohmann::json::json_pointer;

  // Returns InvalidArgument "FILE:LINE: invalid JSON: ..." when `text` is not JSON or nests
  // deeper than 64 levels, or "FILE:LINE: duplicate key ..." when an object repeats a key.
  static Result<JsonDocument> Parse(std::string_view text, std::string file_name);

  const nlohmann::json& root() const { return root_; }
  const std::string& file_name() const { return file_name_; }
  // 1-based line of the value at `pointer`, or of its nearest recorded ancestor.
  int LineOf(const Pointer& pointer) const;
  // InvalidArgument "FILE:LINE: message", LINE being LineOf(pointer).
  Status ErrorAt(const Pointer& pointer, std::string_view message) const;

 private:
  friend class JsonLineRecorder;
  std::string file_name_;
  nlohmann::json root_;
  std::unordered_map<std::string, int> lines_;  // JSON pointer text -> line
};

}  // namespace strata::dynamodb
