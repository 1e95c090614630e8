// Hive column types as Athena's DDL accepts them, turned into the text Glue stores: lower case,
// no spaces, struct field names lower case, DML spellings replaced by DDL ones (integer is int,
// real is float), decimal with its precision and scale spelled out (decimal is decimal(10,0),
// decimal(p) is decimal(p,0), as Hive stores them). So "STRUCT< userName : STRING >" and
// "struct<username:string>" are one type, and a case-only or whitespace-only edit is no change.
//
// Accepted: boolean tinyint smallint int bigint float double decimal[(p[,s])] char(n) varchar(n)
// string binary date timestamp, array<T>, map<K,V> (K primitive), struct<name:T [COMMENT 'c'],…>.
// Struct field comments are read and dropped: Glue's type text has no place for them (Hive drops
// them too). Pure functions; thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "adapters/glue/ddl_cursor.h"
#include "engine/status.h"

namespace strata::glue {

// Types nest at most this deep (array<array<…>> 64 times): enough for any real table (AWS's WAF
// table nests 7 deep), and a bound on the parser's recursion.
inline constexpr int kMaxTypeDepth = 64;
// Glue's limit on a column type's text (Column.Type, at most 131,072 characters).
inline constexpr size_t kMaxTypeChars = 131072;

// Reads one type at the cursor and returns its stored form. Returns InvalidArgument
// "FILE:LINE:COL: …" for an unknown type name (with a hint when it looks misspelt), a missing
// '<', '>', ',' or ':', a map key that is not primitive, an empty or repeated struct field, a
// precision, scale or length out of range, nesting deeper than kMaxTypeDepth, or a stored form
// longer than kMaxTypeChars.
Result<std::string> ParseHiveType(TokenCursor* cursor);

// The stored form of a type written as text (a live table's column type): `text` must be
// exactly one type. Errors as ParseHiveType, with "type:1:COL" as the place.
Result<std::string> NormalizeHiveType(std::string_view text);

// Whether a stored type is primitive (not array, map or struct): map keys must be.
bool IsPrimitiveType(std::string_view stored);

}  // namespace strata::glue
