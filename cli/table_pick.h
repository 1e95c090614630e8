// Choosing tables on a terminal: a numbered list, an answer of numbers, ranges or names, and
// the typed confirmation of each chosen table's name. Questions go to stderr; the input
// stream is a parameter so tests can answer.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "cli/context.h"
#include "engine/status.h"

namespace strata::cli {

// Parses an answer such as "1 3", "1,3", "2-4" or "orders users" against `candidates`
// (numbered from 1). Returns the chosen names in list order without repeats; an empty list
// for a blank answer. InvalidArgument naming the first word that is neither a number in
// range nor a candidate's name.
Result<std::vector<std::string>> ParseTableSelection(const std::string& answer,
                                                     const std::vector<std::string>& candidates);

struct PickOptions {
  std::string question;              // e.g. "Tables to drop"
  std::vector<std::string> details;  // one per candidate, shown after its name; may be empty
};

// Shows the numbered candidates and asks until the answer parses. Returns the chosen names;
// an empty list when the user answers blank or input ends (nothing chosen).
std::vector<std::string> PickTables(const Context& ctx, std::istream& in,
                                    const std::vector<std::string>& candidates,
                                    const PickOptions& options);

// Asks for each table's name to be typed back after `warning(table)` ("Table orders and its
// 12 items will be deleted."). Returns Aborted naming the first table whose name was not typed
// exactly (nothing should then happen to any of them).
Status ConfirmEachTable(const Context& ctx, std::istream& in,
                        const std::vector<std::string>& tables,
                        const std::function<std::string(const std::string&)>& warning);

}  // namespace strata::cli
