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

namespace strata::cli {
namespace {

namespace po = boost::program_options;

using Runner = std::function<CommandResult(Context&)>;

const std::map<std::string, std::pair<Runner, const char*>>& Commands() {
  static const std::map<std::string, std::pair<Runner, const char*>> kCommands = {
      {"init", {RunInit, "write a commented strata.yaml"}},
      {"generate", {RunGenerate, "record schema file changes as a commit"}},
      {"status", {RunStatus, "the log head and pending schema file changes"}},
      {"log", {RunLog, "list commits (filters: object, --actor, --since, --until, --origin)"}},
      {"show", {RunShow, "the schema, or one object, as of a ref"}},
      {"diff", {RunDiff, "the changes between two refs"}},
      {"blame", {RunBlame, "who last changed each part of an object"}},
      {"verify", {RunVerify, "check checksums, the hash chain, signatures and replay of the whole log"}},
      {"tag", {RunTag, "name a point in history, or list tags"}},
      {"migrate", {RunMigrate, "PostgreSQL migration tracks: add, status, run, history, validate"}},
      {"drift", {RunDrift, "compare a live target with the recorded schema (exit 3 on drift)"}},
      {"plan", {RunPlan, "what apply would do to a target (exit 3 with --detailed-exitcode)"}},
      {"apply", {RunApply, "bring a target to the log head, and record the deployment"}},
      {"push", {RunPush, "generate and apply in one step, for development loops"}},
      {"replay", {RunReplay, "run the recorded migrations into an empty database and check the result"}},
      {"list", {RunList, "the live objects of a target: keys, indexes, billing, managed or not"}},
      {"drop", {RunDrop, "delete live objects strata manages, with consent for each, and record it"}},
      {"import", {RunImport, "adopt live objects (or a Mizzle snapshot) into the log"}},
      {"export", {RunExport, "write the live objects of a target as schema files"}},
  };
  return kCommands;
}

std::string MainUsage() {
  std::string s =
      "usage: strata [--project DIR] [--json] [--no-color] <command> [args]\n\n"
      "Schema as code for DynamoDB, Glue/Athena and PostgreSQL, with every change kept in a\n"
      "hash-chained log.\n\ncommands:\n";
  for (const auto& [name, entry] : Commands()) s += fmt::format("  {:<10} {}\n", name, entry.second);
  s += "\nrefs: 42, HEAD, HEAD~3, a tag, a hash prefix, @2026-03-01, @2026-03-01T12:00:00Z\n"
       "exit codes: 0 ok, 1 error, 2 usage, 3 changes present (with --detailed-exitcode)\n";
  return s;
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

std::string CommandUsage(const std::string& command) {
  static const std::map<std::string, std::string> kUsage = {
      {"init", "strata init [--yes] [--engine dynamodb[,glue][,postgres]]"},
      {"generate", "strata generate [-m MESSAGE] [--name NAME] [--schema NAME] [--dry-run]"},
      {"status", "strata status [--detailed-exitcode]"},
      {"log", "strata log [OBJECT] [--actor WHO] [--since TIME] [--until TIME] [--origin ORIGIN]\n"
              "           [-n N] [--events] [--show-signature]"},
      {"show", "strata show [--at REF] [OBJECT]"},
      {"diff", "strata diff REF [REF2] [--detailed-exitcode]"},
      {"blame", "strata blame OBJECT[.PART] [--at REF]"},
      {"verify", "strata verify [--require-signed [--since REF]]"},
      {"tag", "strata tag [NAME [REF]] [--force] [-d NAME] [-m MESSAGE]"},
      {"drift", "strata drift [--target T] [--schema NAME] [--at REF] [-t PATTERN]...\n"
                "             [--region R] [--profile P] [--endpoint-url URL] [--concurrency N]\n"
                "(--at defaults to what the target was last deployed with, or the log head for\n"
                "PostgreSQL databases)"},
      {"plan", "strata plan [--target T] [-t PATTERN]... [--detailed-exitcode] [--allow-replace TABLE]...\n"
               "            [--lift-deletion-protection TABLE]... [--allow-replica-removal TABLE[:REGION]]...\n"
               "            [--region R] [--profile P] [--endpoint-url URL] [--schema NAME] [--concurrency N]"},
      {"apply", "strata apply [--target T] [-t PATTERN]... [--auto-approve] [--dry-run] [--no-wait]\n"
                "             [--allow-replace TABLE]... [--allow-delete TABLE]...\n"
                "             [--lift-deletion-protection TABLE]... [--allow-replica-removal TABLE[:REGION]]...\n"
                "             [--region R] [--profile P] [--endpoint-url URL] [--schema NAME]"},
      {"push", "strata push [--target T] [-t PATTERN]... [-m MESSAGE] [--auto-approve] [--dry-run]\n"
               "            [--no-wait] [--allow-replace TABLE]... [--allow-delete TABLE]...\n"
               "            [--lift-deletion-protection TABLE]... [--allow-replica-removal TABLE[:REGION]]...\n"
               "            [--region R] [--profile P] [--endpoint-url URL] [--schema NAME]"},
      {"replay", "strata replay [--target T] [--until REF] [--psql PROGRAM] [--history-schema SCHEMA]"},
      {"list", "strata list [--target T] [-t PATTERN]... [--region R] [--profile P] [--endpoint-url URL]\n"
               "            [--concurrency N]"},
      {"drop", "strata drop [--target T] [TABLE...] [--yes] [--lift-deletion-protection] [--no-wait]\n"
               "            [-m MESSAGE] [--region R] [--profile P] [--endpoint-url URL]\n"
               "(without a terminal, --yes and the table names are required)"},
      {"import", "strata import [--target T] [TABLE...] [-t PATTERN]... [-m MESSAGE]\n"
                 "                     [--region R] [--profile P] [--endpoint-url URL]\n"
                 "       strata import mizzle PATH/snapshot.json [-m MESSAGE] [--force]\n"
                 "                     [--write-files [--dir DIR] [--format yaml|json]]"},
      {"export", "strata export [--target T] [TABLE...] [-t PATTERN]... [--dir DIR] [--format yaml|json]\n"
                 "              [--overwrite] [--region R] [--profile P] [--endpoint-url URL]"},
      {"migrate",
       "strata migrate add [PATH] DESCRIPTION [--track T] [--with-validation[=sh|sql]]\n"
       "       strata migrate status [PATH] [--track T] [--detailed-exitcode]\n"
       "       strata migrate run [PATH] [--track T] [--allow-out-of-order] [--lock-timeout SECONDS]\n"
       "                          [--dry-run] [--psql PROGRAM]\n"
       "       strata migrate history [PATH] [--track T]\n"
       "       strata migrate validate [PATH] [--track T] [--all] [--psql PROGRAM]\n"
       "(status, run, history, validate: [--target T] [--history-schema SCHEMA]; PATH defaults to\n"
       "the postgres schema directory in strata.yaml)"},
  };
  static const std::set<std::string> kFiltered = {"plan",   "apply",  "push", "list",
                                                   "import", "export", "drift"};
  auto it = kUsage.find(command);
  std::string usage = it == kUsage.end() ? "strata " + command : it->second;
  std::string notes;
  if (kFiltered.count(command)) {
    notes = "(-t/--filter PATTERN: only objects whose name matches; * stands for any characters:\n"
            "orders_*, sales.*, *.logs; repeat for more)\n";
  }
  return "usage: " + usage + "\n" + notes + "(global flags: --project DIR, --json, --no-color)\n";
}

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
  auto it = Commands().find(ctx.command);
  if (it == Commands().end()) {
    *ctx.err << "strata: unknown command \"" << ctx.command << "\"\n\n" << MainUsage();
    return kExitUsage;
  }
  for (const auto& a : ctx.args) {
    if (a == "--help" || a == "-h") {
      *ctx.out << CommandUsage(ctx.command);
      return kExitOk;
    }
  }
  ctx.cwd = std::filesystem::current_path().string();
  ctx.now_micros = Now(ctx.getenv);
  ctx.actor = ActorFromEnv(ctx.getenv);
  auto project = LoadProject(ctx.cwd, ctx.project_dir, ctx.getenv);
  if (!project.ok()) return Fail(ctx, project.status());
  ctx.project = std::move(project).value();
  try {
    CommandResult r = it->second.first(ctx);
    // A command that appended to a shared log leaves its mirror up to date, whatever it says.
    CatchUpMirror(ctx);
    if (!r.ok()) return Fail(ctx, r.status());
    return *r;
  } catch (const UsageError& e) {
    *ctx.err << "strata " << ctx.command << ": " << e.message << "\n\n" << CommandUsage(ctx.command);
    return kExitUsage;
  }
}

}  // namespace strata::cli
