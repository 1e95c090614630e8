// Starting several strata processes at the same moment, for tests of writers racing: each
// child is forked and blocks on a pipe until all are forked; closing the pipe releases them
// together. Each child's stdout and stderr go to files of its own, stdin is /dev/null (no
// terminal), and its environment is exactly the one given.
//
// A command may move a file into place first (a rename, so other processes see the whole file
// or none of it): a process that writes a new schema file and then runs strata, racing others
// that never saw that file. And a command may be held until another one has exited (instead
// of being released with the rest): an order of events that does not depend on timing, such as
// "this file appears only after that generate has finished".
//
// The test binary must define STRATA_BINARY (the path CMake built strata at).
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/strata_runner.h"

namespace strata::testing {

struct GatedCommand {
  std::vector<std::string> args;  // strata's arguments
  // When both are set, the child renames `move_from` to `move_to` once released, then runs
  // strata. They should be on one file system.
  std::string move_from, move_to;
  // Released when the command at this index has exited, not with the others. That command
  // must not itself wait for another.
  std::optional<size_t> after;
};

inline std::string SlurpFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs every command in `dir` at the same moment (those with `after`, once that command has
// exited) and returns once every one has exited, in the order given. `scratch` receives out.N
// and err.N. A child killed by a signal has code -1 and `signal` set; one that could not be
// started exits 126 (setup) or 127 (exec).
inline std::vector<StrataRun> RunTogether(const std::vector<GatedCommand>& commands,
                                          const std::vector<std::string>& environment,
                                          const std::string& dir, const std::string& scratch) {
  // Everything the children need is built before forking: they only close, read, dup2, rename
  // and exec.
  std::vector<std::vector<std::string>> argv_text;
  for (const auto& c : commands) {
    std::vector<std::string> a = {STRATA_BINARY};
    a.insert(a.end(), c.args.begin(), c.args.end());
    argv_text.push_back(std::move(a));
  }
  std::vector<char*> envp;
  for (const auto& e : environment) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  // One gate for everyone, and one per command that others wait for. Every pipe exists before
  // the first fork, so each child can close every write end: a gate opens (reads see the end
  // of the file) once the parent closes its write end.
  std::map<size_t, std::array<int, 2>> gates;  // by the index of the command that opens it
  constexpr size_t kEveryone = static_cast<size_t>(-1);
  for (const auto& c : commands) {
    if (c.after && (*c.after >= commands.size() || commands[*c.after].after)) {
      ADD_FAILURE() << "a command waits for one that is not there or waits itself";
      return {};
    }
    gates[c.after.value_or(kEveryone)];
  }
  gates[kEveryone];
  for (auto& [index, fds] : gates) {
    if (pipe2(fds.data(), O_CLOEXEC) != 0) {
      ADD_FAILURE() << "pipe failed";
      return {};
    }
  }
  const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  std::vector<pid_t> pids;
  std::vector<std::pair<std::string, std::string>> outputs;
  for (size_t i = 0; i < commands.size(); ++i) {
    const std::string out = scratch + "/out." + std::to_string(i);
    const std::string err = scratch + "/err." + std::to_string(i);
    outputs.emplace_back(out, err);
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    std::vector<char*> argv;
    for (const auto& a : argv_text[i]) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const GatedCommand& c = commands[i];
    const bool move = !c.move_from.empty() && !c.move_to.empty();
    const std::vector<int> wait_on = c.after
        ? std::vector<int>{gates[kEveryone][0], gates[*c.after][0]}
        : std::vector<int>{gates[kEveryone][0]};
    const pid_t pid = fork();
    if (pid == 0) {
      for (const auto& [index, fds] : gates) close(fds[1]);
      char byte;
      for (int fd : wait_on) {
        while (read(fd, &byte, 1) > 0) {
        }
      }
      if (dup2(devnull, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0 ||
          chdir(dir.c_str()) != 0 ||
          (move && rename(c.move_from.c_str(), c.move_to.c_str()) != 0)) {
        _exit(126);
      }
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    close(out_fd);
    close(err_fd);
    if (pid < 0) {
      ADD_FAILURE() << "fork failed";
      break;
    }
    pids.push_back(pid);
  }
  for (auto& [index, fds] : gates) close(fds[0]);
  close(gates[kEveryone][1]);  // the gate opens: every child without `after` is released at once
  gates.erase(kEveryone);
  close(devnull);

  std::vector<StrataRun> runs(pids.size());
  auto reap = [&](size_t i) {
    int status = 0;
    if (waitpid(pids[i], &status, 0) == pids[i]) {
      if (WIFEXITED(status)) runs[i].code = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) runs[i].signal = WTERMSIG(status);
    }
    runs[i].out = SlurpFile(outputs[i].first);
    runs[i].err = SlurpFile(outputs[i].second);
  };
  // First the commands others wait for, each releasing its waiters as it exits (they wait for
  // no one themselves, so this order cannot block), then the rest.
  for (auto& [index, fds] : gates) {
    if (index < pids.size()) reap(index);
    close(fds[1]);
  }
  for (size_t i = 0; i < pids.size(); ++i) {
    if (gates.count(i) == 0) reap(i);
  }
  return runs;
}

}  // namespace strata::testing
