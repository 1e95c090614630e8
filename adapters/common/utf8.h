// Checking that text read from a user's file is well-formed UTF-8 before it reaches protobuf
// string fields (which refuse anything else) and JSON renderers (which throw on it). Pure
// functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace strata::common {

// The length of the well-formed UTF-8 sequence at text[i] (1 to 4), or 0 when it is not one:
// overlong forms, surrogates and code points past U+10FFFF are refused, as protobuf refuses them.
// `i` must be less than text.size().
size_t Utf8Length(std::string_view text, size_t i);

// Where the first byte that is not part of well-formed UTF-8 is: 1-based line, and column in
// characters (code points), as editors count them.
struct InvalidUtf8 {
  int line = 1;
  int column = 1;
  unsigned char byte = 0;
};
// Nothing when all of `text` is well-formed UTF-8.
std::optional<InvalidUtf8> FindInvalidUtf8(std::string_view text);

}  // namespace strata::common
