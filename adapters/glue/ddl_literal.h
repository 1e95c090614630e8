// Hive's string literals, both ways: what Athena stores for a literal it reads, and a literal
// that reads back as a given value.
//
// Reading follows Hive's BaseSemanticAnalyzer.unescapeSQLString, which is what Athena's DDL
// applies: \uXXXX is a UTF-16 code unit; \ followed by three octal digits whose first is 0 or 1
// is one character; \0 \' \" \b \n \r \t \Z \\ are NUL, quote, double quote, backspace, newline,
// carriage return, tab, 0x1A and backslash; \% and \_ keep their backslash; a backslash before
// any other character is dropped ("\s" is "s"). Two departures, both errors where Hive would
// store a character nobody meant: \u not followed by four hexadecimal digits, and a \u surrogate
// without its pair (Glue stores UTF-8, which has no unpaired surrogates).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace strata::glue {

// The value of a literal whose text between the quotes is `body`. On failure returns
// InvalidArgument with a message saying what to write instead, and sets *bad_offset (when not
// null) to the byte offset in `body` of the backslash that starts the bad escape.
Result<std::string> UnescapeHiveString(std::string_view body, size_t* bad_offset = nullptr);

// A single-quoted literal that UnescapeHiveString reads back as `value` (`value` must be valid
// UTF-8). Quote and backslash are escaped, newline, carriage return and tab are written \n, \r and
// \t, and the other control characters as three octal digits; everything else is kept as is.
std::string QuoteHiveString(std::string_view value);

}  // namespace strata::glue
