// Golden tests of the strata command as users see it: each scenario in tests/cli/scenarios is
// a list of shell lines run in a fresh directory; the transcript (stdout, stderr marked "! ",
// and non-zero exit codes) must equal tests/cli/golden/<scenario>.txt byte for byte.
//
// Regenerate after an intended change with STRATA_UPDATE_GOLDEN=1 and review the diff.
// Lines "@env KEY=VALUE" set the environment for the lines after them.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace {
namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

class Scenario {
 public:
  explicit Scenario(const std::string& name) : name_(name) {
    work_ = fs::temp_directory_path() / ("strata-golden-" + name + "-" + std::to_string(getpid()));
    fs::remove_all(work_);
    fs::create_directories(work_);
    env_ = {{"NO_COLOR", "1"},
            {"STRATA_NOW", "2026-03-01T09:00:00Z"},
            {"STRATA_ACTOR_NAME", "alice"},
            {"STRATA_ACTOR_EMAIL", "alice@shop.example"},
            {"STRATA_ACTOR_HOST", "laptop"},
            {"EXAMPLES", STRATA_EXAMPLES_DIR},
            {"PATH", fs::path(STRATA_BINARY).parent_path().string() + ":/usr/bin:/bin"}};
  }
  ~Scenario() { fs::remove_all(work_); }

  std::string Run(const std::string& script) {
    std::istringstream lines(script);
    std::string line, transcript;
    while (std::getline(lines, line)) {
      if (line.empty() || line[0] == '#') continue;
      if (line.rfind("@env ", 0) == 0) {
        std::string kv = line.substr(5);
        env_[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
        continue;
      }
      transcript += "$ " + line + "\n" + RunLine(line);
    }
    return ReplaceAll(transcript, work_.string(), "$WORK");
  }

 private:
  std::string RunLine(const std::string& line) {
    std::string exports = "cd " + Quote(work_.string()) + " && env -i";
    for (const auto& [k, v] : env_) exports += " " + k + "=" + Quote(v);
    const fs::path out = work_ / ".out", err = work_ / ".err";
    std::string cmd = exports + " bash -c " + Quote(line) + " </dev/null >" + Quote(out.string()) +
                      " 2>" + Quote(err.string());
    int status = std::system(cmd.c_str());
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::string text = ReadAll(out);
    std::istringstream errs(ReadAll(err));
    for (std::string e; std::getline(errs, e);) text += "! " + e + "\n";
    if (code != 0) text += "[exit " + std::to_string(code) + "]\n";
    fs::remove(out);
    fs::remove(err);
    return text;
  }

  std::string name_;
  fs::path work_;
  std::map<std::string, std::string> env_;
};

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, TranscriptMatches) {
  const fs::path dir = fs::path(STRATA_GOLDEN_DIR).parent_path();
  const std::string name = GetParam();
  const std::string got = Scenario(name).Run(ReadAll(dir / "scenarios" / (name + ".sh")));
  const fs::path golden = dir / "golden" / (name + ".txt");
  if (std::getenv("STRATA_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << got;  // then compared like any other run
  }
  ASSERT_TRUE(fs::exists(golden)) << "no golden file " << golden
                                  << "; run with STRATA_UPDATE_GOLDEN=1 to create it";
  EXPECT_EQ(ReadAll(golden), got) << "transcript of " << name << " differs from " << golden;
}

std::vector<std::string> Scenarios() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(fs::path(STRATA_GOLDEN_DIR).parent_path() / "scenarios")) {
    if (e.path().extension() == ".sh") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Cli, GoldenTest, ::testing::ValuesIn(Scenarios()),
                         [](const auto& info) { return info.param; });

}  // namespace
