#include "cli/help.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "cli/commands.h"

namespace strata::cli {
namespace {

namespace po = boost::program_options;

constexpr char kFilterNote[] =
    "(-t/--filter PATTERN: only objects whose name matches; * stands for any characters:\n"
    "orders_*, sales.*, *.logs; repeat for more)\n";

// The table. Synopses list what a user types; the flags' meanings come from CommandFlags.
const std::vector<CommandHelp>& Table() {
  static const std::vector<CommandHelp> kTable = {
      {"apply", "bring a target to the log head, and record the deployment",
       "strata apply [--target T] [-t PATTERN]... [--auto-approve] [--dry-run] [--no-wait]\n"
       "             [--allow-replace TABLE]... [--allow-delete TABLE]...\n"
       "             [--lift-deletion-protection TABLE]... [--allow-replica-removal TABLE[:REGION]]...\n"
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
       std::string("(--at defaults to what the target was last deployed with, or the log head "
                   "for\nPostgreSQL databases)\n") +
           kFilterNote,
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
       "strata generate [-m MESSAGE] [--name NAME] [--schema NAME] [--dry-run]", "",
       GenerateFlags},
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
       "strata log push LOCATION", "(LOCATION: a store URL (s3://, dynamodb://, postgres://) or "
       "a directory)\n", LogPushFlags},
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
      {"migrate status", "applied and pending migrations per track (exit 3 with "
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
       "            [--lift-deletion-protection TABLE]... [--allow-replica-removal TABLE[:REGION]]...\n"
       "            [--region R] [--profile P] [--endpoint-url URL] [--schema NAME] [--concurrency N]",
       kFilterNote, PlanFlags},
      {"push", "generate and apply in one step, for development loops",
       "strata push [--target T] [-t PATTERN]... [-m MESSAGE] [--auto-approve] [--dry-run]\n"
       "            [--no-wait] [--allow-replace TABLE]... [--allow-delete TABLE]...\n"
       "            [--lift-deletion-protection TABLE]... [--allow-replica-removal TABLE[:REGION]]...\n"
       "            [--region R] [--profile P] [--endpoint-url URL] [--schema NAME]",
       kFilterNote, PushFlags},
      {"replay", "run the recorded migrations into an empty database and check the result",
       "strata replay [--target T] [--until REF] [--psql PROGRAM] [--history-schema SCHEMA]", "",
       ReplayFlags},
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

struct GlobalFlag {
  const char* name;
  const char* value;  // "" for a switch
  const char* help;
};

constexpr GlobalFlag kGlobalFlags[] = {
    {"--project", "DIR",
     "the project directory (default: the nearest directory upwards that holds strata.yaml)"},
    {"--json", "", "print one JSON document of a versioned shape on stdout, and nothing else"},
    {"--no-color", "", "no colours (also when NO_COLOR is set, or output is not a terminal)"},
    {"--version", "", "print the version"},
    {"--help", "", "print help: strata --help, strata COMMAND --help"},
};

// One flag of a command, as the parser knows it.
struct Flag {
  std::string long_name;   // "target"
  std::string short_name;  // "t", or ""
  bool takes_value = false;
  bool optional_value = false;  // --with-validation[=sql]
  std::string default_value;
  std::string help;
};

struct Parsed {
  std::vector<Flag> flags;
  std::vector<std::string> positional;  // names of positional arguments, in order
};

Parsed ParseFlags(const CommandHelp& c) {
  Parsed p;
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
    const std::string semantic = o->semantic()->name();
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
      {"at", "REF"},        {"until", "REF"},       {"since", "WHEN"},   {"filter", "PATTERN"},
      {"max-count", "N"},   {"concurrency", "N"},   {"target", "T"},     {"lock-timeout", "SECONDS"},
      {"psql", "PROGRAM"},  {"endpoint-url", "URL"}, {"region", "R"},    {"profile", "P"},
      {"history-schema", "SCHEMA"}, {"allow-replace", "TABLE"}, {"allow-delete", "TABLE"},
      {"lift-deletion-protection", "TABLE"}, {"allow-replica-removal", "TABLE[:REGION]"},
      {"with-validation", "sh|sql"}, {"log", "DIR|URL"}, {"engine", "ENGINES"}};
  if (auto it = kNames.find(f.long_name); it != kNames.end()) return it->second;
  std::string upper;
  for (char ch : f.long_name) upper += ch == '-' ? '_' : static_cast<char>(std::toupper(ch));
  return upper;
}

// "-m, --message MESSAGE"
std::string FlagTitle(const Flag& f) {
  std::string s = f.short_name.empty() ? "    " : "-" + f.short_name + ", ";
  s += "--" + f.long_name;
  if (f.optional_value) s += "[=" + Placeholder(f) + "]";
  else if (f.takes_value) s += " " + Placeholder(f);
  return s;
}

std::string FlagHelp(const Flag& f) {
  std::string h = f.help;
  if (!f.default_value.empty() && h.find("default") == std::string::npos) {
    h += " (default: " + f.default_value + ")";
  }
  return h;
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

// ---- shells -----------------------------------------------------------------------------------

// A flag's value completion, by what the value is.
enum class ValueKind { kNone, kDirectory, kFile, kCommand, kChoice };

ValueKind KindOf(const Flag& f, std::string* choices) {
  if (f.long_name == "dir" || f.long_name == "project") return ValueKind::kDirectory;
  if (f.long_name == "psql") return ValueKind::kCommand;
  if (f.long_name == "format") *choices = "yaml json sql";
  else if (f.long_name == "engine") *choices = "dynamodb glue postgres";
  else if (f.long_name == "with-validation") *choices = "sh sql";
  else if (f.long_name == "origin")
    *choices = "generate migrate import drop deploy tag";
  else return ValueKind::kNone;
  return ValueKind::kChoice;
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? sep : "") + parts[i];
  return s;
}

// Single quotes for a shell word.
std::string Quoted(const std::string& s) {
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

std::string BashScript() {
  std::string subs, flags, valued;
  auto add_subs = [&](const std::string& path) {
    std::vector<std::string> names;
    for (const CommandHelp* c : Subcommands(path)) {
      names.push_back(c->name.substr(path.empty() ? 0 : path.size() + 1));
    }
    if (!names.empty()) subs += fmt::format("    {}) echo {} ;;\n", Quoted(path), Quoted(Join(names, " ")));
  };
  add_subs("");
  std::vector<std::string> global_flags, global_valued = {"--project"};
  for (const GlobalFlag& g : kGlobalFlags) global_flags.push_back(g.name);
  for (const CommandHelp& c : CommandHelps()) {
    add_subs(c.name);
    std::vector<std::string> all, with_value;
    for (const Flag& f : ParseFlags(c).flags) {
      all.push_back("--" + f.long_name);
      if (!f.short_name.empty()) all.push_back("-" + f.short_name);
      if (f.takes_value && !f.optional_value) {
        with_value.push_back("--" + f.long_name);
        if (!f.short_name.empty()) with_value.push_back("-" + f.short_name);
      }
    }
    if (!all.empty()) flags += fmt::format("    {}) echo {} ;;\n", Quoted(c.name), Quoted(Join(all, " ")));
    if (!with_value.empty()) {
      valued += fmt::format("    {}) echo {} ;;\n", Quoted(c.name), Quoted(Join(with_value, " ")));
    }
  }
  // Value completions by flag name (the same for every command that has the flag).
  std::string values;
  std::map<std::string, std::string> by_flag;
  for (const CommandHelp& c : CommandHelps()) {
    for (const Flag& f : ParseFlags(c).flags) {
      std::string choices;
      switch (KindOf(f, &choices)) {
        case ValueKind::kDirectory: by_flag["--" + f.long_name] = "compgen -d -- \"$cur\""; break;
        case ValueKind::kFile: by_flag["--" + f.long_name] = "compgen -f -- \"$cur\""; break;
        case ValueKind::kCommand: by_flag["--" + f.long_name] = "compgen -c -- \"$cur\""; break;
        case ValueKind::kChoice:
          by_flag["--" + f.long_name] = fmt::format("compgen -W {} -- \"$cur\"", Quoted(choices));
          break;
        case ValueKind::kNone: break;
      }
    }
  }
  by_flag["--project"] = "compgen -d -- \"$cur\"";
  for (const auto& [flag, how] : by_flag) values += fmt::format("    {}) COMPREPLY=($({})) ;;\n", flag, how);

  return fmt::format(R"BASH(# bash completion for strata (generated by `strata completion bash`; regenerate after an
# upgrade). Load it with:  source <(strata completion bash)
_strata_subcommands() {{
  case "$1" in
{}  esac
}}
_strata_flags() {{
  case "$1" in
{}  esac
}}
_strata_valued_flags() {{
  case "$1" in
{}  esac
}}
_strata() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
  local path="" word i skip=0
  COMPREPLY=()
  # The command path so far (plan, migrate run, ...), skipping flags and their values.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${{COMP_WORDS[i]}}
    if ((skip)); then skip=0; continue; fi
    case " $(_strata_valued_flags "$path") --project " in *" $word "*) skip=1; continue ;; esac
    [[ $word == -* ]] && continue
    case " $(_strata_subcommands "$path") " in *" $word "*) path=${{path:+$path }}$word ;; esac
  done
  if ((skip)) || [[ " $(_strata_valued_flags "$path") --project " == *" $prev "* ]]; then
    case "$prev" in
{}      *) COMPREPLY=() ;;
    esac
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_strata_flags "$path") {}" -- "$cur"))
    return 0
  fi
  COMPREPLY=($(compgen -W "$(_strata_subcommands "$path")" -- "$cur"))
}}
complete -o default -F _strata strata
)BASH",
                     subs, flags, valued, values, Join(global_flags, " "));
}

// zsh: one function per command path, each an _arguments spec; commands with subcommands
// dispatch on the next word.
std::string ZshEscape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '[' || ch == ']' || ch == ':' || ch == '\\') out += '\\';
    if (ch == '\'') {
      out += "'\\''";
      continue;
    }
    out += ch;
  }
  return out;
}

// "_strata" for the top level, "_strata_migrate_run" for `strata migrate run`.
std::string ZshFunctionName(const std::string& path) {
  std::string name = "_strata";
  if (!path.empty()) name += '_';
  for (char ch : path) name += (ch == ' ' || ch == '-') ? '_' : ch;
  return name;
}

std::string ZshSpec(const Flag& f) {
  std::string choices, action;
  switch (KindOf(f, &choices)) {
    case ValueKind::kDirectory: action = "_files -/"; break;
    case ValueKind::kFile: action = "_files"; break;
    case ValueKind::kCommand: action = "_command_names -e"; break;
    case ValueKind::kChoice: action = "(" + choices + ")"; break;
    case ValueKind::kNone: action = " "; break;
  }
  const std::string help = ZshEscape(f.help);
  const std::string repeat = f.takes_value ? "*" : "";
  std::vector<std::string> specs;
  for (const std::string& name :
       {std::string("--") + f.long_name, f.short_name.empty() ? "" : "-" + f.short_name}) {
    if (name.empty()) continue;
    if (f.optional_value) {
      specs.push_back(fmt::format("'{}{}=-[{}]::{}:{}'", repeat, name, help,
                                  ZshEscape(Placeholder(f)), action));
    } else if (f.takes_value) {
      specs.push_back(fmt::format("'{}{}=[{}]:{}:{}'", repeat, name, help,
                                  ZshEscape(Placeholder(f)), action));
    } else {
      specs.push_back(fmt::format("'{}[{}]'", name, help));
    }
  }
  return Join(specs, " \\\n    ");
}

std::string ZshScript() {
  std::string functions;
  std::vector<std::string> global_specs;
  for (const GlobalFlag& g : kGlobalFlags) {
    if (*g.value) {
      global_specs.push_back(fmt::format("'{}=[{}]:{}:_files -/'", g.name, ZshEscape(g.help), g.value));
    } else {
      global_specs.push_back(fmt::format("'{}[{}]'", g.name, ZshEscape(g.help)));
    }
  }
  auto dispatcher = [&](const std::string& path, const std::string& own_specs) {
    std::vector<std::string> described;
    for (const CommandHelp* c : Subcommands(path)) {
      const std::string name = c->name.substr(path.empty() ? 0 : path.size() + 1);
      described.push_back("'" + ZshEscape(name) + ":" + ZshEscape(c->summary) + "'");
    }
    std::string cases;
    for (const CommandHelp* c : Subcommands(path)) {
      const std::string name = c->name.substr(path.empty() ? 0 : path.size() + 1);
      cases += fmt::format("        {}) {} ;;\n", name, ZshFunctionName(c->name));
    }
    return fmt::format(
        "{}() {{\n"
        "  local curcontext=$curcontext state state_descr line ret=1\n"
        "  typeset -A opt_args\n"
        "  local -a subcommands=(\n    {}\n  )\n"
        "  _arguments -C {}\\\n    '1: :->subcommand' '*:: :->rest' && ret=0\n"
        "  case $state in\n"
        "    subcommand) _describe -t commands 'strata {}command' subcommands && ret=0 ;;\n"
        "    rest)\n"
        "      case $words[1] in\n{}"
        "        *) _files && ret=0 ;;\n"
        "      esac ;;\n"
        "  esac\n"
        "  return ret\n"
        "}}\n\n",
        ZshFunctionName(path), Join(described, "\n    "), own_specs.empty() ? "" : own_specs + " \\\n    ",
        path.empty() ? "" : "sub", cases);
  };
  functions += dispatcher("", Join(global_specs, " \\\n    "));
  for (const CommandHelp& c : CommandHelps()) {
    if (!Subcommands(c.name).empty()) {
      functions += dispatcher(c.name, "");
      continue;
    }
    std::vector<std::string> specs;
    for (const Flag& f : ParseFlags(c).flags) specs.push_back(ZshSpec(f));
    specs.push_back("'*: :_files'");
    functions += fmt::format("{}() {{\n  _arguments -s -S \\\n    {}\n}}\n\n", ZshFunctionName(c.name),
                             Join(specs, " \\\n    "));
  }
  return "#compdef strata\n"
         "# zsh completion for strata (generated by `strata completion zsh`). Install it as _strata\n"
         "# in a directory of $fpath: strata completion zsh > ~/.zfunc/_strata, with\n"
         "# fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc.\n\n" +
         functions + "_strata \"$@\"\n";
}

std::string FishScript() {
  std::string s =
      "# fish completion for strata (generated by `strata completion fish`). Install it with:\n"
      "# strata completion fish > ~/.config/fish/completions/strata.fish\n"
      "complete -c strata -f\n";
  for (const GlobalFlag& g : kGlobalFlags) {
    s += fmt::format("complete -c strata -l {}{} -d {}\n", std::string(g.name).substr(2),
                     *g.value ? " -x -a '(__fish_complete_directories)'" : "", Quoted(g.help));
  }
  for (const CommandHelp* c : Subcommands("")) {
    s += fmt::format("complete -c strata -n __fish_use_subcommand -a {} -d {}\n", c->name,
                     Quoted(c->summary));
  }
  for (const CommandHelp& c : CommandHelps()) {
    const auto space = c.name.find(' ');
    std::string condition;
    if (space == std::string::npos) {
      condition = "__fish_seen_subcommand_from " + c.name;
      std::vector<std::string> subs;
      for (const CommandHelp* sub : Subcommands(c.name)) {
        subs.push_back(sub->name.substr(c.name.size() + 1));
      }
      if (!subs.empty()) {
        for (const CommandHelp* sub : Subcommands(c.name)) {
          s += fmt::format(
              "complete -c strata -n '{}; and not __fish_seen_subcommand_from {}' -a {} -d {}\n",
              condition, Join(subs, " "), sub->name.substr(c.name.size() + 1), Quoted(sub->summary));
        }
        // The command's own flags (log's filters) apply when no subcommand was given.
        condition += "; and not __fish_seen_subcommand_from " + Join(subs, " ");
      }
    } else {
      condition = "__fish_seen_subcommand_from " + c.name.substr(0, space) +
                  "; and __fish_seen_subcommand_from " + c.name.substr(space + 1);
    }
    for (const Flag& f : ParseFlags(c).flags) {
      std::string line = fmt::format("complete -c strata -n '{}' -l {}", condition, f.long_name);
      if (!f.short_name.empty()) line += " -s " + f.short_name;
      std::string choices;
      if (f.takes_value && !f.optional_value) {
        // -x: the value is required and is not a file name, unless said otherwise.
        switch (KindOf(f, &choices)) {
          case ValueKind::kDirectory: line += " -x -a '(__fish_complete_directories)'"; break;
          case ValueKind::kFile: line += " -r -F"; break;
          case ValueKind::kCommand: line += " -x -a '(__fish_complete_command)'"; break;
          case ValueKind::kChoice: line += " -x -a " + Quoted(choices); break;
          case ValueKind::kNone: line += " -x"; break;
        }
      }
      s += line + " -d " + Quoted(f.help) + "\n";
    }
  }
  return s;
}

// ---- the man page -------------------------------------------------------------------------------

// Text for man(7): backslashes, hyphens and a leading dot or quote escaped.
std::string Roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char ch : text) {
    if (line_start && (ch == '.' || ch == '\'')) out += "\\&";
    if (ch == '\\') out += "\\e";
    else if (ch == '-') out += "\\-";
    else out += ch;
    line_start = ch == '\n';
  }
  return out;
}

}  // namespace

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
  for (const CommandHelp* c : Subcommands("")) s += fmt::format("  {:<10} {}\n", c->name, c->summary);
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
  const Parsed parsed = ParseFlags(*c);
  if (!parsed.flags.empty()) {
    s += "\nflags:\n";
    for (const Flag& f : parsed.flags) {
      const std::string title = "  " + FlagTitle(f);
      std::string line = title.size() < 30 ? title + std::string(30 - title.size(), ' ')
                                            : title + "\n" + std::string(30, ' ');
      s += line + Wrap(FlagHelp(f), 30, 100) + "\n";
    }
  }
  return s;
}

std::string CompletionScript(Shell shell) {
  switch (shell) {
    case Shell::kBash: return BashScript();
    case Shell::kZsh: return ZshScript();
    case Shell::kFish: return FishScript();
  }
  return "";
}

std::string ManPage(const std::string& version, const std::string& date) {
  std::string s = fmt::format(".TH STRATA 1 {} \"strata {}\" \"User Commands\"\n", date,
                              Roff(version));
  s += ".SH NAME\nstrata \\- schema as code for DynamoDB, Glue/Athena and PostgreSQL, with every "
       "change kept in a hash\\-chained log\n";
  s += ".SH SYNOPSIS\n.B strata\n[\\fB\\-\\-project\\fR \\fIDIR\\fR] [\\fB\\-\\-json\\fR] "
       "[\\fB\\-\\-no\\-color\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n";
  s += ".SH DESCRIPTION\n"
       "strata keeps the schema of DynamoDB tables, Glue/Athena tables and PostgreSQL databases "
       "as files, and records every schema change as a typed event in an append\\-only, "
       "hash\\-chained log. Replaying the log rebuilds the schema as of any point in history; "
       "plans and deployments compare that history with live targets.\n"
       ".PP\nThe project is the nearest directory upwards that holds \\fIstrata.yaml\\fR "
       "(\\fBstrata init\\fR writes one).\n";
  s += ".SH GLOBAL OPTIONS\n";
  for (const GlobalFlag& g : kGlobalFlags) {
    s += fmt::format(".TP\n\\fB{}\\fR{}\n{}\n", Roff(g.name),
                     *g.value ? std::string(" \\fI") + g.value + "\\fR" : "", Roff(g.help));
  }
  s += ".SH COMMANDS\n";
  for (const CommandHelp& c : CommandHelps()) {
    s += fmt::format(".SS \"strata {}\"\n{}\n.PP\n.nf\n{}\n.fi\n", c.name, Roff(c.summary),
                     Roff(c.synopsis));
    if (!c.notes.empty()) s += ".PP\n" + Roff(c.notes);
    for (const Flag& f : ParseFlags(c).flags) {
      std::string title = "\\fB\\-\\-" + Roff(f.long_name) + "\\fR";
      if (!f.short_name.empty()) title = "\\fB\\-" + Roff(f.short_name) + "\\fR, " + title;
      if (f.optional_value) title += "[=\\fI" + Roff(Placeholder(f)) + "\\fR]";
      else if (f.takes_value) title += " \\fI" + Roff(Placeholder(f)) + "\\fR";
      s += ".TP\n" + title + "\n" + Roff(FlagHelp(f)) + "\n";
    }
  }
  s += ".SH REFS\n"
       "Every history command takes a point in history as a seq (\\fB42\\fR), \\fBHEAD\\fR, "
       "\\fBHEAD~3\\fR, a tag, a hash prefix, or a time (\\fB@2026\\-03\\-01\\fR, "
       "\\fB@2026\\-03\\-01T12:00:00Z\\fR).\n";
  s += ".SH EXIT STATUS\n"
       ".TP\n0\nsuccess\n.TP\n1\nan error\n.TP\n2\na usage error\n.TP\n3\nchanges present "
       "(with \\fB\\-\\-detailed\\-exitcode\\fR)\n";
  s += ".SH ENVIRONMENT\n"
       ".TP\n\\fBNO_COLOR\\fR\nno colours\n"
       ".TP\n\\fBSTRATA_ACTOR_NAME\\fR, \\fBSTRATA_ACTOR_EMAIL\\fR, \\fBSTRATA_ACTOR_HOST\\fR\n"
       "who commits are recorded as (otherwise GIT_AUTHOR_NAME, USER, the host name)\n"
       ".TP\n\\fBAWS_PROFILE\\fR, \\fBAWS_REGION\\fR, \\fBAWS_ENDPOINT_URL\\fR, ...\n"
       "the standard AWS settings, for targets that do not name them\n"
       ".TP\n\\fBPGHOST\\fR, \\fBPGPORT\\fR, \\fBPGUSER\\fR, \\fBPGDATABASE\\fR, ...\n"
       "the standard libpq settings, for PostgreSQL targets that do not name them\n";
  s += ".SH SEE ALSO\nThe project's documentation: docs/cli.md, docs/log\\-format.md\n";
  return s;
}

}  // namespace strata::cli
