// The command line's one description (cli/help.cc): --help, the completion scripts of bash, zsh
// and fish, and the man page, each checked against the flags the parsers take and, for the
// shells, by the shells themselves (./dev test installs zsh, fish and mandoc).
#include "cli/help.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "adapters/common/process_runner.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::cli {
namespace {

namespace fs = std::filesystem;

struct Ran {
  int code = -1;
  std::string out, err;
};

// A program of the system (the process runner does not search PATH).
std::string Which(const std::string& program) {
  for (const char* dir : {"/usr/bin/", "/bin/", "/usr/local/bin/"}) {
    if (fs::exists(dir + program)) return dir + program;
  }
  return program;  // fails to start, and the test says which program is missing
}

Ran RunProgram(std::vector<std::string> argv, const std::string& dir = "/") {
  common::ProcessRequest req;
  argv[0] = Which(argv[0]);
  req.argv = argv;
  req.environment = {"PATH=/usr/bin:/bin", "HOME=" + dir, "NO_COLOR=1"};
  req.working_dir = dir;
  auto r = common::NewPosixProcessRunner()->Run(req);
  if (!r.ok()) {
    ADD_FAILURE() << "running " << argv[0] << ": " << r.status().ToString();
    return {};
  }
  return {r->exit_code, r->output, r->errors};
}

// Every long flag a command's parser takes, without its positional arguments.
std::set<std::string> ParserFlags(const CommandHelp& c) {
  std::set<std::string> out;
  if (c.flags == nullptr) return out;
  const CommandFlags spec = c.flags();
  std::set<std::string> positional;
  for (unsigned i = 0; i < spec.positional.max_total_count() && i < 8; ++i) {
    positional.insert(spec.positional.name_for_position(i));
  }
  for (const auto& o : spec.options.options()) {
    if (!positional.count(o->long_name())) out.insert("--" + o->long_name());
  }
  return out;
}

class HelpTest : public ::testing::Test {
 protected:
  // `script` written to a file, for a shell to load.
  std::string Saved(const std::string& name, const std::string& script) {
    const std::string path = (fs::path(tmp_.path()) / name).string();
    std::ofstream(path) << script;
    return path;
  }

  strata::testing::TempDir tmp_;
};

TEST_F(HelpTest, EveryCommandsHelpListsEveryFlagItsParserTakes) {
  size_t checked = 0;
  for (const CommandHelp& c : CommandHelps()) {
    const std::string text = CommandHelpText(c.name);
    EXPECT_EQ(text.rfind("strata " + c.name + ": " + c.summary, 0), 0u) << text;
    for (const std::string& flag : ParserFlags(c)) {
      EXPECT_NE(text.find(flag), std::string::npos) << c.name << " --help lacks " << flag;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100u);  // the table names the parsers: plan alone has a dozen flags
}

TEST_F(HelpTest, TheBinaryPrintsTheTablesHelpForCommandsAndSubcommands) {
  strata::testing::TempDir dir;
  for (const std::string name : {"plan", "migrate run", "log push", "completion"}) {
    std::vector<std::string> args;
    for (size_t at = 0, next; at <= name.size(); at = next + 1) {
      next = name.find(' ', at);
      if (next == std::string::npos) next = name.size();
      args.push_back(name.substr(at, next - at));
    }
    args.push_back("--help");
    auto r = strata::testing::RunStrata(args, {"PATH=/usr/bin:/bin"}, dir.path());
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_EQ(r.out, CommandHelpText(name)) << name;
  }
  auto run = strata::testing::RunStrata({"migrate", "run", "--help"}, {}, dir.path());
  EXPECT_NE(run.out.find("--lock-timeout SECONDS"), std::string::npos) << run;
  EXPECT_NE(run.out.find("(default: 60)"), std::string::npos) << run;
}

TEST_F(HelpTest, EveryTopLevelCommandIsOneTheBinaryKnows) {
  strata::testing::TempDir dir;
  for (const CommandHelp* c : Subcommands("")) {
    auto r = strata::testing::RunStrata({c->name, "--help"}, {}, dir.path());
    EXPECT_EQ(r.code, 0) << c->name << "\n" << r;
    EXPECT_EQ(r.err.find("unknown command"), std::string::npos) << r;
  }
  auto main = strata::testing::RunStrata({"--help"}, {}, dir.path());
  for (const CommandHelp* c : Subcommands("")) {
    EXPECT_NE(main.out.find("  " + c->name + " "), std::string::npos) << c->name;
  }
}

TEST_F(HelpTest, CompletionAndManNeedNoProjectAndRefuseBadArguments) {
  strata::testing::TempDir dir;  // no strata.yaml anywhere up from here
  auto bash = strata::testing::RunStrata({"completion", "bash"}, {}, dir.path());
  EXPECT_EQ(bash.code, 0) << bash;
  EXPECT_EQ(bash.out, CompletionScript(Shell::kBash));
  auto man = strata::testing::RunStrata({"man"}, {}, dir.path());
  EXPECT_EQ(man.code, 0) << man;
  EXPECT_EQ(man.out.rfind(".TH STRATA 1", 0), 0u) << man.out.substr(0, 200);
  auto tcsh = strata::testing::RunStrata({"completion", "tcsh"}, {}, dir.path());
  EXPECT_EQ(tcsh.code, 2) << tcsh;
  EXPECT_NE(tcsh.err.find("name one shell: bash, zsh or fish"), std::string::npos) << tcsh;
  EXPECT_TRUE(tcsh.out.empty()) << tcsh;
}

// ---- bash: the script loaded into bash, asked as bash asks on TAB ----------------------------

class BashCompletionTest : public HelpTest {
 protected:
  // What TAB offers after `line` (the last word is the one being completed).
  std::string Complete(const std::string& line) {
    const std::string script = Saved("strata.bash", CompletionScript(Shell::kBash));
    const std::string probe = "source '" + script +
                              "'\n"
                              "read -ra COMP_WORDS <<< \"$LINE\"\n"
                              "[[ $LINE == *' ' ]] && COMP_WORDS+=('')\n"
                              "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                              "_strata\n"
                              "printf '%s\\n' \"${COMPREPLY[@]}\" | sort | paste -sd' '\n";
    common::ProcessRequest req;
    req.argv = {Which("bash"), "-c", probe};
    req.environment = {"PATH=/usr/bin:/bin", "LINE=" + line};
    req.working_dir = tmp_.path();
    auto r = common::NewPosixProcessRunner()->Run(req);
    if (!r.ok() || r->exit_code != 0) {
      ADD_FAILURE() << line << ": " << (r.ok() ? r->errors : r.status().ToString());
      return "";
    }
    std::string out = r->output;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
};

TEST_F(BashCompletionTest, CommandsSubcommandsAndFlags) {
  EXPECT_EQ(Complete("strata pl"), "plan");
  EXPECT_EQ(Complete("strata d"), "diff drift drop");
  EXPECT_EQ(Complete("strata migrate r"), "run");
  EXPECT_EQ(Complete("strata log p"), "pull push");
  EXPECT_EQ(Complete("strata completion "), "bash fish zsh");
  EXPECT_EQ(Complete("strata plan --detailed"), "--detailed-exitcode");
  EXPECT_EQ(Complete("strata migrate run --lock"), "--lock-timeout");
  // validate's --all is not run's.
  EXPECT_EQ(Complete("strata migrate run --al"), "--allow-out-of-order");
  EXPECT_EQ(Complete("strata migrate validate --al"), "--all");
  EXPECT_EQ(Complete("strata --js"), "--json");
}

TEST_F(BashCompletionTest, FlagValuesAreSkippedAndCompletedByKind) {
  // A flag's value is not taken for a command: `--project migrate` is a directory.
  EXPECT_EQ(Complete("strata --project migrate sh"), "show");
  EXPECT_EQ(Complete("strata plan --target migrate --detailed"), "--detailed-exitcode");
  EXPECT_EQ(Complete("strata export --format "), "json sql yaml");
  EXPECT_EQ(Complete("strata migrate add --with-validation="), "");
  fs::create_directories(fs::path(tmp_.path()) / "schemas-here");
  EXPECT_EQ(Complete("strata --project sch"), "schemas-here");
  // A value with nothing to offer offers nothing, not the command list.
  EXPECT_EQ(Complete("strata plan --target "), "");
}

// ---- zsh and fish -----------------------------------------------------------------------------

TEST_F(HelpTest, ZshLoadsTheScriptAndHasAFunctionPerCommand) {
  const std::string script = Saved("_strata", CompletionScript(Shell::kZsh));
  Ran syntax = RunProgram({"zsh", "-n", script});
  ASSERT_EQ(syntax.code, 0) << "zsh -n (./dev test installs zsh): " << syntax.err;
  // Loaded the way compinit loads a #compdef file, then each command path's function is there.
  std::string probe = "autoload -Uz compinit && compinit -u -d '" + tmp_.path() + "/zcd'\n" +
                      "fpath=('" + tmp_.path() + "' $fpath); autoload -Uz _strata\n" + "source '" +
                      script + "' 2>/dev/null\n";
  for (const CommandHelp& c : CommandHelps()) {
    std::string fn = "_strata_";
    for (char ch : c.name) fn += (ch == ' ' || ch == '-') ? '_' : ch;
    probe += "whence -w " + fn + " >/dev/null || echo missing " + fn + "\n";
  }
  Ran r = RunProgram({"zsh", "-f", "-c", probe}, tmp_.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(HelpTest, FishOffersWhatTheTableHolds) {
  const std::string script = Saved("strata.fish", CompletionScript(Shell::kFish));
  auto complete = [&](const std::string& line) {
    Ran r = RunProgram(
        {"fish", "--no-config", "-c", "source '" + script + "'; complete -C'" + line + "'"},
        tmp_.path());
    EXPECT_EQ(r.code, 0) << "fish (./dev test installs fish): " << r.err;
    std::set<std::string> words;
    size_t at = 0;
    while (at < r.out.size()) {
      size_t end = r.out.find('\n', at);
      if (end == std::string::npos) end = r.out.size();
      words.insert(
          r.out.substr(at, r.out.find('\t', at) < end ? r.out.find('\t', at) - at : end - at));
      at = end + 1;
    }
    return words;
  };
  EXPECT_EQ(complete("strata migrate r"), std::set<std::string>{"run"});
  EXPECT_EQ(complete("strata plan --detailed"), std::set<std::string>{"--detailed-exitcode"});
  EXPECT_EQ(complete("strata migrate validate --al"), std::set<std::string>{"--all"});
  const auto formats = complete("strata export --format ");
  EXPECT_EQ(formats, (std::set<std::string>{"json", "sql", "yaml"}));
  EXPECT_TRUE(complete("strata ").count("blame"));
}

// ---- the man page ------------------------------------------------------------------------------

TEST_F(HelpTest, TheManPageIsCleanManMarkupWithEveryCommandAndFlag) {
  const std::string page = Saved("strata.1", ManPage("1.2.3", "2026-12-07"));
  Ran lint = RunProgram({"mandoc", "-T", "lint", "-W", "warning", page});
  EXPECT_EQ(lint.code, 0) << "mandoc -T lint (./dev test installs mandoc):\n"
                          << lint.out << lint.err;
  Ran text = RunProgram({"mandoc", "-T", "utf8", "-O", "width=200", page});
  ASSERT_EQ(text.code, 0) << text.err;
  // Overstrike (bold) removed, as `col -b` would.
  std::string plain;
  for (size_t i = 0; i < text.out.size(); ++i) {
    if (i + 1 < text.out.size() && text.out[i + 1] == '\b') {
      ++i;
      continue;
    }
    plain += text.out[i];
  }
  EXPECT_NE(plain.find("strata 1.2.3"), std::string::npos);
  for (const CommandHelp& c : CommandHelps()) {
    EXPECT_NE(plain.find("strata " + c.name), std::string::npos) << c.name;
    for (const std::string& flag : ParserFlags(c)) {
      EXPECT_NE(plain.find(flag), std::string::npos) << c.name << " " << flag;
    }
  }
}

}  // namespace
}  // namespace strata::cli
