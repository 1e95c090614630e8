// ObjectFilter: which objects a command works on, chosen by name patterns (the cli's
// -t/--filter PATTERN, like athenadef's target filters).
//
// A pattern is matched against the whole name of an object as its backend names it (objects.h:
// "orders" for a DynamoDB table, "sales.orders" for a Glue table, "sales" for its database).
// `*` stands for any run of characters, dots included (`sales.*`, `*.orders`, `orders_*`, `*`);
// every other character stands for itself, case-sensitively: names are compared as the backend
// stores them (DynamoDB's are case-sensitive; Glue stores them in lower case). An object is
// selected when any pattern matches it, and the objects it lives in (a Glue table's database)
// are selected with it. A filter without patterns selects everything. Immutable; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata {

// Whether `name` matches `pattern` as a whole, `*` standing for any run of characters.
bool GlobMatch(std::string_view pattern, std::string_view name);

class ObjectFilter {
 public:
  ObjectFilter() = default;  // selects everything

  // InvalidArgument for an empty pattern (it could match nothing). Repeated patterns count once.
  static Result<ObjectFilter> Make(const std::vector<std::string>& patterns);

  bool everything() const { return patterns_.empty(); }
  const std::vector<std::string>& patterns() const { return patterns_; }

  // Whether some pattern matches `name` (true for every name when there are no patterns).
  bool Matches(std::string_view name) const;

  struct Selection {
    std::set<std::string> objects;       // the matched names and the objects they live in
    std::vector<std::string> unmatched;  // the patterns that matched none of the names
  };
  // The names of `names` (objects of `engine`) the filter selects. With no patterns: all of
  // them.
  Selection Select(const std::vector<std::string>& names, pb::Engine engine) const;

 private:
  std::vector<std::string> patterns_;
};

// The names `pattern` would match if case did not matter (and does not), for the hint after a
// pattern that matched nothing ("Sales.*" where Glue stores "sales.orders").
std::vector<std::string> MatchesIgnoringCase(std::string_view pattern,
                                             const std::vector<std::string>& names);

}  // namespace strata
