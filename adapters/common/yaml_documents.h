// Reading YAML streams with yaml-cpp without its hang on stray flow punctuation.
//
// yaml-cpp 0.7 (Debian's) loops forever in YAML::LoadAll, allocating as it goes, when a block
// context holds a flow token it cannot place, as in `"name",` or a lone `,` (upstream issue
// 1040, fixed after 0.8). YAML::Load stops after one document and silently drops the rest of
// such a file instead. LoadYamlDocuments walks the stream first with an event handler that
// notices the parser standing still, and throws a YAML::ParserException at that spot, so a
// malformed file becomes an ordinary syntax error with its line and column.
#pragma once

#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace strata::common {

// Every document in `text`, as YAML::LoadAll returns them. Throws YAML::Exception (with the
// mark of the offending character) on a syntax error, including the one yaml-cpp would loop on.
std::vector<YAML::Node> LoadYamlDocuments(std::string_view text);

}  // namespace strata::common
