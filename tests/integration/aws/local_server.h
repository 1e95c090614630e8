// A helper server script from tests/support (fault_proxy.py, credentials_server.py) run by a
// test on 127.0.0.1:port: started in the constructor, waited for until it accepts connections,
// stopped (SIGTERM to the one process it started) in the destructor.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace strata::testing {

inline bool PortAccepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

class LocalServer {
 public:
  // Runs `python3 tests/support/<script> <port> <args...>`.
  LocalServer(const std::string& script, int port, std::vector<std::string> args) : port_(port) {
    if (PortAccepts(port)) {
      ADD_FAILURE() << "port " << port << " on 127.0.0.1 is taken";
      return;
    }
    std::vector<std::string> argv = {"python3", std::string(STRATA_TEST_SUPPORT_DIR) + "/" + script,
                                     std::to_string(port)};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    if (posix_spawnp(&pid_, "python3", nullptr, nullptr, raw.data(), environ) != 0) {
      ADD_FAILURE() << "cannot start python3 " << script;
      pid_ = -1;
      return;
    }
    for (int i = 0; i < 100 && !PortAccepts(port); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!PortAccepts(port)) ADD_FAILURE() << script << " did not listen on " << port;
  }
  ~LocalServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int port_;
  pid_t pid_ = -1;
};

}  // namespace strata::testing
