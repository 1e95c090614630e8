// Ports of the test servers, found at run time: every server the harness starts binds a port
// the OS chooses (or, for PostgreSQL, a free one below the kernel's ephemeral range) and writes
// it to a file named "port" in its fixture directory. No test knows a port number in advance.
//
// ClosedPort is the opposite: a port that refuses connections for as long as the object lives
// (a socket bound to it that never listens), for tests of "nothing listens there".
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace strata::testing {

// The port in `dir`/port; 0 and a test failure when there is none (the fixture did not start).
inline int ReadPortFile(const std::string& dir) {
  std::ifstream in(dir + "/port");
  int port = 0;
  if (!(in >> port) || port <= 0 || port > 65535) {
    ADD_FAILURE() << "no server port in " << dir << "/port (did its CTest fixture start?)";
    return 0;
  }
  return port;
}

inline std::string LoopbackUrl(int port) { return "http://127.0.0.1:" + std::to_string(port); }

// Whether something accepts connections on 127.0.0.1:port.
inline bool PortAccepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

// A loopback port nobody can listen on while this lives: connections to it are refused.
class ClosedPort {
 public:
  ClosedPort() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot reserve a loopback port";
      return;
    }
    port_ = ntohs(addr.sin_port);
  }
  ~ClosedPort() {
    if (fd_ >= 0) close(fd_);
  }
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;

  int port() const { return port_; }
  std::string url() const { return LoopbackUrl(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace strata::testing
