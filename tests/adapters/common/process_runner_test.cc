#include "adapters/common/process_runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/engine/testing/temp_dir.h"

namespace strata::common {
namespace {

ProcessRequest Shell(const std::string& script) {
  ProcessRequest r;
  r.argv = {"/bin/sh", "-c", script};
  r.environment = {"PATH=/usr/bin:/bin"};
  return r;
}

TEST(PosixProcessRunnerTest, CapturesStdoutAndStderrApartAndTheExitCode) {
  auto runner = NewPosixProcessRunner();
  auto r = runner->Run(Shell("echo out; echo err >&2; exit 3"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->output, "out\n");
  EXPECT_EQ(r->errors, "err\n");
}

TEST(PosixProcessRunnerTest, MergedOutputKeepsItsOrder) {
  auto runner = NewPosixProcessRunner();
  ProcessRequest req = Shell("echo 1; echo 2 >&2; echo 3; echo 4 >&2");
  req.merge_stderr = true;
  auto r = runner->Run(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output, "1\n2\n3\n4\n");
  EXPECT_EQ(r->errors, "");
}

TEST(PosixProcessRunnerTest, TheEnvironmentIsExactlyTheGivenOneAndArgumentsAreNotShellWords) {
  auto runner = NewPosixProcessRunner();
  ProcessRequest req;
  req.argv = {"/bin/sh", "-c", "printf '%s|' \"$0\" \"$1\"", "a b", "$HOME;`x`"};
  req.environment = {"ONLY=1"};
  auto r = runner->Run(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output, "a b|$HOME;`x`|");
  // sh may add PWD, SHLVL and _ on its own; nothing from the parent comes through.
  auto env = runner->Run(Shell("env"));
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->output.find("HOME="), std::string::npos) << env->output;
}

TEST(PosixProcessRunnerTest, RunsInTheWorkingDirectoryWithStdinClosed) {
  strata::testing::TempDir dir;
  auto runner = NewPosixProcessRunner();
  ProcessRequest req = Shell("pwd; cat; echo done");
  req.working_dir = dir.path();
  auto r = runner->Run(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output, dir.path() + "\ndone\n");
}

TEST(PosixProcessRunnerTest, AProgramThatCannotStartIsAnIoError) {
  auto runner = NewPosixProcessRunner();
  ProcessRequest req;
  req.argv = {"/no/such/program"};
  auto r = runner->Run(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIoError);
  EXPECT_EQ(r.status().message(), "cannot run /no/such/program: No such file or directory");
}

TEST(PosixProcessRunnerTest, ASignalIsAnExitCodeAbove128) {
  auto runner = NewPosixProcessRunner();
  auto r = runner->Run(Shell("kill -9 $$"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 128 + 9);
}

// A child does not outlive strata: when the process that ran it is killed, the child is killed
// too (a psql left running would commit a migration nobody records; see the crash trials).
TEST(PosixProcessRunnerTest, TheChildDiesWithTheProcessThatStartedIt) {
  testing::TempDir tmp;
  const std::string pid_file = tmp / "child.pid";
  const pid_t runner_process = fork();
  ASSERT_GE(runner_process, 0);
  if (runner_process == 0) {
    auto r = NewPosixProcessRunner()->Run(Shell("echo $$ > " + pid_file + "; exec sleep 60"));
    _exit(r.ok() ? 0 : 1);
  }
  // The child's pid, once it has written it.
  pid_t child = 0;
  for (int i = 0; i < 2000 && child == 0; ++i) {
    std::ifstream(pid_file) >> child;
    if (child == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GT(child, 0);
  kill(runner_process, SIGKILL);
  waitpid(runner_process, nullptr, 0);
  // Gone, or a zombie waiting for whoever adopted it to reap it: either way, not running.
  auto running = [child] {
    std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
    std::string pid, name, state;
    if (!(stat >> pid >> name >> state)) return false;
    return state != "Z" && state != "X";
  };
  for (int i = 0; i < 1000 && running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_FALSE(running()) << "sleep (pid " << child << ") outlived the process that ran it";
  if (running()) kill(child, SIGKILL);
}

}  // namespace
}  // namespace strata::common
