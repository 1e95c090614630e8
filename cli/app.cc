#include "cli/app.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <vector>

#include "cli/commands.h"
#include "cli/mirror.h"
#include "engine/refs/refs.h"

#ifndef STRATA_VERSION
#define STRATA_VERSION "0.0.0"
#endif
#ifndef STRATA_RELEASE_DATE
#define STRATA_RELEASE_DATE "1970-01-01"
#endif

namespace strata::cli {
namespace {

namespace po = boost::program_options;

using Runner = std::function<CommandResult(Context&)>;

const std::map<std::string, Runner>& Commands() {
  static const std::map<std::string, Runner> kCommands = {
      {"init", RunInit},   {"generate", RunGenerate}, {"status", RunStatus}, {"log", RunLog},
      {"show", RunShow},   {"diff", RunDiff},         {"blame", RunBlame},   {"verify", RunVerify},
      {"tag", RunTag},     {"migrate", RunMigrate},   {"drift", RunDrift},   {"plan", RunPlan},
      {"apply", RunApply}, {"push", RunPush},         {"replay", RunReplay}, {"list", RunList},
      {"drop", RunDrop},   {"import", RunImport},     {"export", RunExport},
      {"report", RunReport},
  };
  return kCommands;
}

// `strata completion SHELL` and `strata man`: they print what cli/help.cc renders, and need no
// project. Returns nullopt for other commands.
std::optional<int> RunDocumentation(const Context& ctx, const std::string& command) {
  if (command == "man") {
    if (!ctx.args.empty()) {
      *ctx.err << "strata man: takes no arguments\n\n" << CommandUsage("man");
      return kExitUsage;
    }
    *ctx.out << ManPage(STRATA_VERSION, STRATA_RELEASE_DATE);
    return kExitOk;
  }
  if (command != "completion") return std::nullopt;
  static const std::map<std::string, Shell> kShells = {
      {"bash", Shell::kBash}, {"zsh", Shell::kZsh}, {"fish", Shell::kFish}};
  auto shell = ctx.args.size() == 1 ? kShells.find(ctx.args[0]) : kShells.end();
  if (shell == kShells.end()) {
    *ctx.err << "strata completion: name one shell: bash, zsh or fish\n\n"
             << CommandUsage("completion");
    return kExitUsage;
  }
  *ctx.out << CompletionScript(shell->second);
  return kExitOk;
}

// The help entry `strata COMMAND ARGS... --help` asks for: the subcommand's when the first
// argument names one ("migrate run --help"), else the command's.
std::string HelpEntryFor(const std::string& command, const std::vector<std::string>& args) {
  if (!args.empty() && FindCommandHelp(command + " " + args[0]) != nullptr) {
    return command + " " + args[0];
  }
  return command;
}

std::optional<std::string> GetEnvVar(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v == nullptr ? std::nullopt : std::optional<std::string>(v);
}

// STRATA_NOW (RFC 3339) pins the clock, for reproducible demos and golden tests.
int64_t Now(const GetEnv& getenv) {
  if (auto pinned = getenv("STRATA_NOW")) {
    auto ref = ParseRef("@" + *pinned);
    if (ref.ok() && ref->kind == Ref::Kind::kTime) return ref->unix_micros;
  }
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The effective user's login name from the password database, "" when it has no entry (a
// container running under an arbitrary uid) or the lookup fails.
std::string PasswordDatabaseName() {
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(size > 0 ? static_cast<size_t>(size) : 16384);
  struct passwd entry;
  struct passwd* found = nullptr;
  if (getpwuid_r(geteuid(), &entry, buf.data(), buf.size(), &found) != 0 || found == nullptr ||
      found->pw_name == nullptr) {
    return "";
  }
  return found->pw_name;
}

pb::Actor ActorFromEnv(const GetEnv& getenv) {
  pb::Actor a;
  auto first = [&getenv](std::initializer_list<const char*> names) -> std::string {
    for (const char* n : names) {
      if (auto v = getenv(n); v && !v->empty()) return *v;
    }
    return "";
  };
  a.set_name(first({"STRATA_ACTOR_NAME", "GIT_AUTHOR_NAME", "USER", "LOGNAME"}));
  a.set_email(first({"STRATA_ACTOR_EMAIL", "GIT_AUTHOR_EMAIL", "EMAIL"}));
  std::string host = first({"STRATA_ACTOR_HOST"});
  if (host.empty()) {
    char buf[256] = {0};
    if (gethostname(buf, sizeof buf - 1) == 0) host = buf;
  }
  a.set_host(host);
  // USER and LOGNAME are unset under cron, systemd and many containers: who runs the
  // process is still known to the system.
  if (a.name().empty()) a.set_name(PasswordDatabaseName());
  if (a.name().empty()) a.set_name("unknown");
  return a;
}

// Pulls the global flags out of argv; what remains is the command and its arguments.
struct Globals {
  bool json = false, no_color = false, version = false, help = false;
  std::optional<std::string> project;
  std::vector<std::string> rest;
};

Globals ParseGlobals(int argc, char** argv) {
  Globals g;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json") g.json = true;
    else if (a == "--no-color") g.no_color = true;
    else if (a == "--version") g.version = true;
    else if ((a == "--help" || a == "-h") && g.rest.empty()) g.help = true;
    else if (a == "--project" && i + 1 < argc) g.project = argv[++i];
    else if (a.rfind("--project=", 0) == 0) g.project = a.substr(10);
    else g.rest.push_back(a);
  }
  return g;
}

int Fail(const Context& ctx, const Status& s) {
  *ctx.err << ctx.Paint(Color::kRed, "strata: error: ") << s.message() << "\n";
  return kExitError;
}

}  // namespace

std::optional<std::string> OptArg(const po::variables_map& vm, const char* name) {
  if (!vm.count(name)) return std::nullopt;
  return vm[name].as<std::string>();
}

po::variables_map ParseArgs(const Context& ctx, const po::options_description& options,
                            const po::positional_options_description& positional) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(ctx.args).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{e.what()};
  }
  return vm;
}

int Main(int argc, char** argv) {
  Globals g = ParseGlobals(argc, argv);
  auto env = NewPosixEnv();
  Context ctx;
  ctx.getenv = GetEnvVar;
  ctx.env = env.get();
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  ctx.json = g.json;
  ctx.color = !g.no_color && !GetEnvVar("NO_COLOR") && isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);
  ctx.interactive = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
  ctx.progress = isatty(STDERR_FILENO) && !g.json;
  ctx.project_dir = g.project;
  if (g.version) {
    if (ctx.json) ctx.PrintJson({{"version", 1}, {"strata", STRATA_VERSION}});
    else *ctx.out << "strata " << STRATA_VERSION << "\n";
    return kExitOk;
  }
  if (g.help || g.rest.empty()) {
    (g.help ? *ctx.out : *ctx.err) << MainUsage();
    return g.help ? kExitOk : kExitUsage;
  }
  ctx.command = g.rest.front();
  ctx.args.assign(g.rest.begin() + 1, g.rest.end());
  const bool documentation = ctx.command == "completion" || ctx.command == "man";
  auto it = Commands().find(ctx.command);
  if (it == Commands().end() && !documentation) {
    *ctx.err << "strata: unknown command \"" << ctx.command << "\"\n\n" << MainUsage();
    return kExitUsage;
  }
  for (const auto& a : ctx.args) {
    if (a == "--help" || a == "-h") {
      *ctx.out << CommandHelpText(HelpEntryFor(ctx.command, ctx.args));
      return kExitOk;
    }
  }
  if (auto printed = RunDocumentation(ctx, ctx.command)) return *printed;
  ctx.cwd = std::filesystem::current_path().string();
  ctx.now_micros = Now(ctx.getenv);
  ctx.actor = ActorFromEnv(ctx.getenv);
  auto project = LoadProject(ctx.cwd, ctx.project_dir, ctx.getenv);
  if (!project.ok()) return Fail(ctx, project.status());
  ctx.project = std::move(project).value();
  const std::string help_entry = HelpEntryFor(ctx.command, ctx.args);
  try {
    CommandResult r = it->second(ctx);
    // A command that appended to a shared log leaves its mirror up to date, whatever it says.
    CatchUpMirror(ctx);
    if (!r.ok()) return Fail(ctx, r.status());
    return *r;
  } catch (const UsageError& e) {
    *ctx.err << "strata " << ctx.command << ": " << e.message << "\n\n" << CommandUsage(help_entry);
    return kExitUsage;
  }
}

}  // namespace strata::cli
