// Questions asked on a terminal: destructive steps need the user to type what they agree to.
// Only called when ctx.interactive (stdin and stderr are terminals); questions go to stderr so
// stdout stays clean. The input stream is a parameter so tests can answer.
#pragma once

#include <iosfwd>
#include <string>

#include "cli/context.h"

namespace strata::cli {

// Shows `question` and reads one line; returns it without surrounding blanks, or nullopt at
// end of input.
std::optional<std::string> Ask(const Context& ctx, std::istream& in, const std::string& question);

// True only when the answer is exactly `expected` ("yes", or a table's name).
bool ConfirmTyped(const Context& ctx, std::istream& in, const std::string& question,
                  const std::string& expected);

}  // namespace strata::cli
