// What the renderers of the command-line table share (cli/help.cc, cli/completion.cc,
// cli/man_page.cc): the global flags, and a command's flags read back from its parser.
// Internal to cli/.
#pragma once

#include <string>
#include <vector>

#include "cli/help.h"

namespace strata::cli::help {

struct GlobalFlag {
  const char* name;
  const char* value;  // "" for a switch
  const char* help;
};

// --project, --json, --no-color, --version, --help.
const std::vector<GlobalFlag>& GlobalFlags();

// One flag of a command, as the parser knows it.
struct Flag {
  std::string long_name;   // "target"
  std::string short_name;  // "t", or ""
  bool takes_value = false;
  bool optional_value = false;  // --with-validation[=sql]
  std::string default_value;    // of a flag that takes a value; "" for none
  std::string help;
};

struct ParsedFlags {
  std::vector<Flag> flags;
  std::vector<std::string> positional;  // names of positional arguments, in order
};

// The flags of `c`'s parser, its positional arguments apart; empty for a command without one.
ParsedFlags ParseFlags(const CommandHelp& c);

// What a flag's value is called in help text ("REF", "T", "SECONDS").
std::string Placeholder(const Flag& f);
// The flag's meaning, with its default when the meaning does not already name one.
std::string FlagHelp(const Flag& f);

// What a flag's value is, for completing it.
enum class ValueKind { kNone, kDirectory, kFile, kCommand, kChoice };
// kChoice sets `choices` (space-separated).
ValueKind KindOf(const Flag& f, std::string* choices);

std::string Join(const std::vector<std::string>& parts, const std::string& sep);

}  // namespace strata::cli::help
