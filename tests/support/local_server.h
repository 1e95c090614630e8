// A helper server script from tests/support (fault_proxy.py, credentials_server.py) run by one
// test: started in the constructor on a port the OS chooses (the script writes it to a port
// file, read back here), stopped (SIGTERM to the one process it started) in the destructor.
// The script also watches this process and exits with it, so a test that crashes leaves no
// server behind.
//
// The test binary must define STRATA_TEST_SUPPORT_DIR (the tests/support directory).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/ports.h"

extern char** environ;

namespace strata::testing {

class LocalServer {
 public:
  // Runs `python3 tests/support/<script> --port-file F --parent-pid PID <args...>` and waits
  // (up to 10 s) until it listens.
  LocalServer(const std::string& script, std::vector<std::string> args) {
    char pattern[] = "/tmp/strata-test-server.XXXXXX";
    if (mkdtemp(pattern) == nullptr) {
      ADD_FAILURE() << "cannot make a directory for " << script << "'s port file";
      return;
    }
    dir_ = pattern;
    std::vector<std::string> argv = {"python3",
                                     std::string(STRATA_TEST_SUPPORT_DIR) + "/" + script,
                                     "--port-file", dir_ + "/port",
                                     "--parent-pid", std::to_string(getpid())};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    if (posix_spawnp(&pid_, "python3", nullptr, nullptr, raw.data(), environ) != 0) {
      ADD_FAILURE() << "cannot start python3 " << script;
      pid_ = -1;
      return;
    }
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      if (std::filesystem::exists(dir_ + "/port")) {
        port_ = ReadPortFile(dir_);
        break;
      }
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (port_ == 0 || !PortAccepts(port_)) ADD_FAILURE() << script << " did not start";
  }
  ~LocalServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return LoopbackUrl(port_); }

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace strata::testing
