#include "cli/help.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "cli/help_flags.h"

namespace strata::cli {
namespace {

namespace po = boost::program_options;
using help::Flag;
using help::ParseFlags;

constexpr char kFilterNote[] =
    "(-t/--filter PATTERN: only objects whose name matches; * stands for any characters:\n"
    "orders_*, sales.*, *.logs; repeat for more)\n";

// The table. Synopses list what a user types; the flags' meanings come from CommandFlags.
const std::vector<CommandHelp>& Table() {
  static const std::vector<CommandHelp> kTable = {
      {"apply", "bring a target to the log head, and record the deployment",
       "strata apply [--target T] [-t PATTERN]... [--auto-approve] [--dry-run] [--no-wait]\n"
       "             [--allow-replace TABLE]... [--allow-delete TABLE]...\n"
       "             [--lift-deletion-protection TABLE]... [--allow-replica-removal "
       "TABLE[:REGION]]...\n"
       "             [--region R] [--profile P] [--endpoint-url URL] [--schema NAME]",
       kFilterNote, ApplyFlags},
      {"blame", "who last changed each part of an object", "strata blame OBJECT[.PART] [--at REF]",
       "", BlameFlags},
      {"completion", "print a shell completion script: bash, zsh or fish",
       "strata completion bash|zsh|fish",
       "(bash: source <(strata completion bash); zsh: strata completion zsh > ~/.zfunc/_strata;\n"
       "fish: strata completion fish > ~/.config/fish/completions/strata.fish)\n",
       nullptr},
      {"completion bash", "the bash completion script", "strata completion bash", "", nullptr},
      {"completion fish", "the fish completion script", "strata completion fish", "", nullptr},
      {"completion zsh", "the zsh completion script", "strata completion zsh", "", nullptr},
      {"diff", "the changes between two refs", "strata diff REF [REF2] [--detailed-exitcode]", "",
       DiffFlags},
      {"drift", "compare a live target with the recorded schema (exit 3 on drift)",
       "strata drift [--target T] [--schema NAME] [--at REF] [-t PATTERN]...\n"
       "             [--region R] [--profile P] [--endpoint-url URL] [--concurrency N]",
       fmt::format("(--at defaults to what the target was last deployed with, or the log head "
                   "for\nPostgreSQL databases)\n{}",
                   kFilterNote),
       DriftFlags},
      {"drop", "delete live objects strata manages, with consent for each, and record it",
       "strata drop [--target T] [TABLE...] [--yes] [--lift-deletion-protection] [--no-wait]\n"
       "            [-m MESSAGE] [--region R] [--profile P] [--endpoint-url URL]",
       "(without a terminal, --yes and the table names are required)\n", DropFlags},
      {"export", "write the live objects of a target as schema files",
       "strata export [--target T] [TABLE...] [-t PATTERN]... [--dir DIR] [--format yaml|json]\n"
       "              [--overwrite] [--region R] [--profile P] [--endpoint-url URL]",
       kFilterNote, ExportFlags},
      {"generate", "record schema file changes as a commit",
       "strata generate [-m MESSAGE] [--name NAME] [--schema NAME] [--dry-run]", "", GenerateFlags},
      {"import", "adopt live objects (or a Mizzle snapshot) into the log",
       "strata import [--target T] [TABLE...] [-t PATTERN]... [-m MESSAGE]\n"
       "                     [--region R] [--profile P] [--endpoint-url URL]\n"
       "strata import mizzle PATH/snapshot.json [-m MESSAGE] [--force]\n"
       "                     [--write-files [--dir DIR] [--format yaml|json]]",
       kFilterNote, ImportFlags},
      {"init", "write a commented strata.yaml",
       "strata init [--yes] [--engine dynamodb[,glue][,postgres]] [--log DIR|URL] [--force]", "",
       InitFlags},
      {"list", "the live objects of a target: keys, indexes, billing, managed or not",
       "strata list [--target T] [-t PATTERN]... [--region R] [--profile P] [--endpoint-url URL]\n"
       "            [--concurrency N]",
       kFilterNote, ListFlags},
      {"log", "list commits (filters: object, --actor, --since, --until, --origin)",
       "strata log [OBJECT] [--actor WHO] [--since TIME] [--until TIME] [--origin ORIGIN]\n"
       "           [-n N] [--events] [--show-signature]\n"
       "strata log pull | status | push [LOCATION]",
       "(an object named pull, status or push is written SCHEMA:NAME)\n", LogFlags},
      {"log pull", "bring the local mirror of a shared log up to date", "strata log pull", "",
       LogPullFlags},
      {"log push", "copy the local log into a shared store and make it the project's log",
       "strata log push LOCATION",
       "(LOCATION: a store URL (s3://, dynamodb://, postgres://) or "
       "a directory)\n",
       LogPushFlags},
      {"log status", "the shared log's head against the local mirror's", "strata log status", "",
       LogStatusFlags},
      {"man", "print the strata(1) man page", "strata man",
       "(strata man > strata.1 && man -l strata.1)\n", nullptr},
      {"migrate", "PostgreSQL migration tracks: add, status, run, history, validate",
       "strata migrate add|status|run|history|validate [PATH] [flags]",
       "(PATH defaults to the postgres schema directory in strata.yaml)\n", nullptr},
      {"migrate add", "write a new migration file for a track",
       "strata migrate add [PATH] DESCRIPTION [--track T] [--with-validation[=sh|sql]]", "",
       MigrateAddFlags},
      {"migrate history", "the migrations applied to a database, per track",
       "strata migrate history [PATH] [--track T] [--target T] [--history-schema SCHEMA]", "",
       MigrateHistoryFlags},
      {"migrate run", "apply the pending migrations, track by track, and record what each changed",
       "strata migrate run [PATH] [--track T] [--allow-out-of-order] [--lock-timeout SECONDS]\n"
       "                   [--dry-run] [--psql PROGRAM] [--target T] [--history-schema SCHEMA]",
       "", MigrateRunFlags},
      {"migrate status",
       "applied and pending migrations per track (exit 3 with "
       "--detailed-exitcode)",
       "strata migrate status [PATH] [--track T] [--detailed-exitcode] [--target T]\n"
       "                      [--history-schema SCHEMA]",
       "", MigrateStatusFlags},
      {"migrate validate", "run the validation scripts beside pending migrations",
       "strata migrate validate [PATH] [--track T] [--all] [--psql PROGRAM] [--target T]\n"
       "                        [--history-schema SCHEMA]",
       "", MigrateValidateFlags},
      {"plan", "what apply would do to a target (exit 3 with --detailed-exitcode)",
       "strata plan [--target T] [-t PATTERN]... [--detailed-exitcode] [--allow-replace TABLE]...\n"
       "            [--lift-deletion-protection TABLE]... [--allow-replica-removal "
       "TABLE[:REGION]]...\n"
       "            [--region R] [--profile P] [--endpoint-url URL] [--schema NAME] [--concurrency "
       "N]",
       kFilterNote, PlanFlags},
      {"push", "generate and apply in one step, for development loops",
       "strata push [--target T] [-t PATTERN]... [-m MESSAGE] [--auto-approve] [--dry-run]\n"
       "            [--no-wait] [--allow-replace TABLE]... [--allow-delete TABLE]...\n"
       "            [--lift-deletion-protection TABLE]... [--allow-replica-removal "
       "TABLE[:REGION]]...\n"
       "            [--region R] [--profile P] [--endpoint-url URL] [--schema NAME]",
       kFilterNote, PushFlags},
      {"replay", "run the recorded migrations into an empty database and check the result",
       "strata replay [--target T] [--until REF] [--psql PROGRAM] [--history-schema SCHEMA]", "",
       ReplayFlags},
      {"report", "the history as one self-contained HTML page",
       "strata report [--out FILE] [--since REF] [--until REF] [--max-commits N]\n"
       "              [--objects NAME[,NAME...]]... [--max-objects N]",
       "(a timeline, objects' histories with blame, side-by-side diffs and deployments;\n"
       "the page loads nothing from the network: docs/report.md)\n",
       ReportFlags},
      {"show", "the schema, or one object, as of a ref", "strata show [--at REF] [OBJECT]", "",
       ShowFlags},
      {"status", "the log head and pending schema file changes",
       "strata status [--detailed-exitcode]", "", StatusFlags},
      {"tag", "name a point in history, or list tags",
       "strata tag [NAME [REF]] [--force] [-d NAME] [-m MESSAGE]", "", TagFlags},
      {"verify", "check checksums, the hash chain, signatures and replay of the whole log",
       "strata verify [--require-signed [--since REF]]", "", VerifyFlags},
  };
  return kTable;
}

// "-m, --message MESSAGE"
std::string FlagTitle(const Flag& f) {
  std::string s = f.short_name.empty() ? "    " : "-" + f.short_name + ", ";
  s += "--" + f.long_name;
  if (f.optional_value)
    s += "[=" + help::Placeholder(f) + "]";
  else if (f.takes_value)
    s += " " + help::Placeholder(f);
  return s;
}

// `text` wrapped at `width` columns, every line after the first indented by `indent`.
std::string Wrap(const std::string& text, size_t indent, size_t width) {
  std::istringstream words(text);
  std::string out, line, word;
  while (words >> word) {
    if (!line.empty() && indent + line.size() + 1 + word.size() > width) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

}  // namespace

namespace help {

const std::vector<GlobalFlag>& GlobalFlags() {
  static const std::vector<GlobalFlag> kFlags = {
      {"--project", "DIR",
       "the project directory (default: the nearest directory upwards that holds strata.yaml)"},
      {"--json", "", "print one JSON document of a versioned shape on stdout, and nothing else"},
      {"--no-color", "", "no colours (also when NO_COLOR is set, or output is not a terminal)"},
      {"--version", "", "print the version"},
      {"--help", "", "print help: strata --help, strata COMMAND --help"},
  };
  return kFlags;
}

ParsedFlags ParseFlags(const CommandHelp& c) {
  ParsedFlags p;
  if (c.flags == nullptr) return p;
  const CommandFlags spec = c.flags();
  std::set<std::string> positional;
  const unsigned total = spec.positional.max_total_count();
  for (unsigned i = 0; i < total && i < 8; ++i) {
    const std::string& name = spec.positional.name_for_position(i);
    if (positional.insert(name).second) p.positional.push_back(name);
  }
  for (const auto& o : spec.options.options()) {
    if (positional.count(o->long_name())) continue;
    Flag f;
    f.long_name = o->long_name();
    const std::string shown =
        o->canonical_display_name(po::command_line_style::allow_dash_for_short);
    if (shown.size() == 2 && shown[0] == '-') f.short_name = shown.substr(1);
    f.takes_value = o->semantic()->max_tokens() > 0;
    f.optional_value = f.takes_value && o->semantic()->min_tokens() == 0;
    // A switch's default (false) goes without saying.
    const std::string semantic = f.takes_value ? o->semantic()->name() : "";
    if (auto at = semantic.find("(="); at != std::string::npos && semantic.back() == ')') {
      f.default_value = semantic.substr(at + 2, semantic.size() - at - 3);
    }
    f.help = o->description();
    p.flags.push_back(std::move(f));
  }
  return p;
}

// What a flag's value is called in help text.
std::string Placeholder(const Flag& f) {
  static const std::map<std::string, std::string> kNames = {
      {"at", "REF"},
      {"until", "REF"},
      {"since", "WHEN"},
      {"filter", "PATTERN"},
      {"max-count", "N"},
      {"concurrency", "N"},
      {"target", "T"},
      {"lock-timeout", "SECONDS"},
      {"psql", "PROGRAM"},
      {"endpoint-url", "URL"},
      {"region", "R"},
      {"profile", "P"},
      {"history-schema", "SCHEMA"},
      {"allow-replace", "TABLE"},
      {"allow-delete", "TABLE"},
      {"lift-deletion-protection", "TABLE"},
      {"allow-replica-removal", "TABLE[:REGION]"},
      {"with-validation", "sh|sql"},
      {"log", "DIR|URL"},
      {"engine", "ENGINES"},
      {"out", "FILE"},
      {"objects", "NAME"},
      {"max-commits", "N"},
      {"max-objects", "N"}};
  if (auto it = kNames.find(f.long_name); it != kNames.end()) return it->second;
  std::string upper;
  for (char ch : f.long_name) upper += ch == '-' ? '_' : static_cast<char>(std::toupper(ch));
  return upper;
}

std::string FlagHelp(const Flag& f) {
  std::string h = f.help;
  if (!f.default_value.empty() && h.find("default") == std::string::npos) {
    h += " (default: " + f.default_value + ")";
  }
  return h;
}

ValueKind KindOf(const Flag& f, std::string* choices) {
  if (f.long_name == "dir" || f.long_name == "project") return ValueKind::kDirectory;
  if (f.long_name == "psql") return ValueKind::kCommand;
  if (f.long_name == "out") return ValueKind::kFile;
  if (f.long_name == "format")
    *choices = "yaml json sql";
  else if (f.long_name == "engine")
    *choices = "dynamodb glue postgres";
  else if (f.long_name == "with-validation")
    *choices = "sh sql";
  else if (f.long_name == "origin")
    *choices = "generate migrate import drop deploy tag";
  else
    return ValueKind::kNone;
  return ValueKind::kChoice;
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? sep : "") + parts[i];
  return s;
}

}  // namespace help

const std::vector<CommandHelp>& CommandHelps() { return Table(); }

const CommandHelp* FindCommandHelp(const std::string& name) {
  for (const CommandHelp& c : Table()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<const CommandHelp*> Subcommands(const std::string& name) {
  std::vector<const CommandHelp*> out;
  for (const CommandHelp& c : Table()) {
    if (name.empty()) {
      if (c.name.find(' ') == std::string::npos) out.push_back(&c);
    } else if (c.name.size() > name.size() + 1 && c.name.compare(0, name.size(), name) == 0 &&
               c.name[name.size()] == ' ' &&
               c.name.find(' ', name.size() + 1) == std::string::npos) {
      out.push_back(&c);
    }
  }
  return out;
}

std::string MainUsage() {
  std::string s =
      "usage: strata [--project DIR] [--json] [--no-color] <command> [args]\n\n"
      "Schema as code for DynamoDB, Glue/Athena and PostgreSQL, with every change kept in a\n"
      "hash-chained log.\n\ncommands:\n";
  for (const CommandHelp* c : Subcommands(""))
    s += fmt::format("  {:<10} {}\n", c->name, c->summary);
  s += "\nrefs: 42, HEAD, HEAD~3, a tag, a hash prefix, @2026-03-01, @2026-03-01T12:00:00Z\n"
       "exit codes: 0 ok, 1 error, 2 usage, 3 changes present (with --detailed-exitcode)\n"
       "strata COMMAND --help: a command's flags; strata man: the manual\n";
  return s;
}

std::string CommandUsage(const std::string& command) {
  const CommandHelp* c = FindCommandHelp(command);
  std::string usage = c == nullptr ? "strata " + command : c->synopsis;
  // Continuation lines of a synopsis are indented for "usage: " already; others get it here.
  std::string shown;
  size_t start = 0;
  bool first = true;
  while (start <= usage.size()) {
    size_t end = usage.find('\n', start);
    if (end == std::string::npos) end = usage.size();
    std::string line = usage.substr(start, end - start);
    if (!first && line.rfind("strata ", 0) == 0) line = "       " + line;
    shown += line + "\n";
    first = false;
    start = end + 1;
  }
  return "usage: " + shown + (c == nullptr ? "" : c->notes) +
         "(global flags: --project DIR, --json, --no-color)\n";
}

std::string CommandHelpText(const std::string& command) {
  const CommandHelp* c = FindCommandHelp(command);
  if (c == nullptr) return MainUsage();
  std::string s = "strata " + c->name + ": " + c->summary + "\n\n" + CommandUsage(command);
  const std::vector<const CommandHelp*> subs = Subcommands(command);
  if (!subs.empty()) {
    s += "\nsubcommands:\n";
    for (const CommandHelp* sub : subs) {
      s += fmt::format("  {:<10} {}\n", sub->name.substr(command.size() + 1), sub->summary);
    }
  }
  const help::ParsedFlags parsed = ParseFlags(*c);
  if (!parsed.flags.empty()) {
    s += "\nflags:\n";
    for (const Flag& f : parsed.flags) {
      const std::string title = "  " + FlagTitle(f);
      std::string line = title.size() < 29 ? title + std::string(30 - title.size(), ' ')
                                           : title + "\n" + std::string(30, ' ');
      s += line + Wrap(help::FlagHelp(f), 30, 100) + "\n";
    }
  }
  return s;
}

}  // namespace strata::cli
