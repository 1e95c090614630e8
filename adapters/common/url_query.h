// The query string of a log URL in strata.yaml (`s3://b/p?region=R&endpoint=URL`) and the
// percent-decoding its values (and SigV4's canonical query) need. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata::common {

// %XX sequences become bytes; anything else (a stray '%' included) stays as it is. With
// `plus_is_space`, '+' is a space (form encoding, as libpq's URLs write it); AWS query strings
// keep '+'.
std::string PercentDecode(std::string_view s, bool plus_is_space = false);

// One KEY=VALUE part of a query string: the key as written, the value decoded, the part as
// written (for passing on unchanged). A part without '=' has an empty value.
struct QueryPart {
  std::string key;
  std::string value;
  std::string raw;
};

// The parts of `query` (what follows '?'), split at '&', empty parts skipped, in order.
std::vector<QueryPart> SplitQuery(std::string_view query, bool plus_is_space = false);

}  // namespace strata::common
