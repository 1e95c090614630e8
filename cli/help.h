// The command line described once: every command and subcommand with its summary, synopsis and
// flags. `--help`, usage errors, the shell completions (bash, zsh, fish) and the man page are all
// rendered from this table, and each command parses its arguments with the same CommandFlags the
// table names, so none of them can disagree with what the parser accepts.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace strata::cli {

// A command's flags and positional arguments, as its parser takes them.
struct CommandFlags {
  boost::program_options::options_description options;
  boost::program_options::positional_options_description positional;
};

struct CommandHelp {
  std::string name;                   // "plan", or "migrate run" for a subcommand
  std::string summary;                // one line
  std::string synopsis;               // "strata plan [--target T] ...", one or more lines
  std::string notes;                  // printed after the synopsis ("" for none)
  CommandFlags (*flags)() = nullptr;  // null: no flags of its own
};

// Every command and subcommand, commands in alphabetical order, each followed by its
// subcommands.
const std::vector<CommandHelp>& CommandHelps();
// The entry named `name` ("plan", "migrate run"), or null.
const CommandHelp* FindCommandHelp(const std::string& name);
// The subcommands of `name` ("migrate" -> add, history, ...), in table order; "" gives the
// commands.
std::vector<const CommandHelp*> Subcommands(const std::string& name);

// `strata --help`.
std::string MainUsage();
// The synopsis and notes of `command` (a usage error ends with it).
std::string CommandUsage(const std::string& command);
// `strata COMMAND [SUBCOMMAND] --help`: the synopsis, the notes and every flag with its meaning.
std::string CommandHelpText(const std::string& command);

enum class Shell { kBash, kZsh, kFish };
// The completion script for `shell` (`strata completion bash|zsh|fish`).
std::string CompletionScript(Shell shell);
// The man page strata(1) in man(7) markup (`strata man`), of `version` released on `date`
// (YYYY-MM-DD).
std::string ManPage(const std::string& version, const std::string& date);

}  // namespace strata::cli
