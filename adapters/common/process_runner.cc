#include "adapters/common/process_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

namespace strata::common {
namespace {

// A pipe whose ends close on exec; the child dup2()s what it needs onto 0, 1 and 2.
struct Pipe {
  int read = -1, write = -1;
  Status Open() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      return Status::IoError(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
    }
    read = fds[0];
    write = fds[1];
    return Status::Ok();
  }
  void CloseRead() {
    if (read >= 0) ::close(read);
    read = -1;
  }
  void CloseWrite() {
    if (write >= 0) ::close(write);
    write = -1;
  }
  ~Pipe() {
    CloseRead();
    CloseWrite();
  }
};

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const std::string& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// In the child between fork and exec: async-signal-safe calls only. Reports errno on `status`.
[[noreturn]] void ExecChild(const ProcessRequest& req, char* const* argv, char* const* envp,
                            int out_fd, int err_fd, int status_fd, pid_t parent) {
  // The child dies with strata: a psql left running after strata was killed would go on to
  // commit a migration that no run records and no lock guards any more (the track's advisory
  // lock was strata's session), racing the next run that applies it again. The parent may have
  // died before this line; then the child never starts.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) _exit(127);
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull < 0 || ::dup2(devnull, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0 ||
      (!req.working_dir.empty() && ::chdir(req.working_dir.c_str()) != 0)) {
    int e = errno;
    (void)!::write(status_fd, &e, sizeof e);
    _exit(127);
  }
  ::execve(argv[0], argv, envp);
  int e = errno;
  (void)!::write(status_fd, &e, sizeof e);
  _exit(127);
}

// Reads both pipes until both are closed.
Status Drain(int out_fd, int err_fd, ProcessResult* result) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result->output, &result->errors};
  int open_count = err_fd >= 0 ? 2 : 1;
  if (err_fd < 0) fds[1].fd = -1;
  char buf[65536];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(fmt::format("waiting for a child's output: {}", std::strerror(errno)));
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        --open_count;
        continue;
      }
      sinks[i]->append(buf, static_cast<size_t>(n));
    }
  }
  return Status::Ok();
}

class PosixProcessRunner : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const ProcessRequest& req) override {
    if (req.argv.empty()) return Status::Internal("ProcessRunner::Run without a program");
    const std::string& program = req.argv[0];
    std::vector<char*> argv = CStrings(req.argv);
    std::vector<char*> envp = CStrings(req.environment);
    Pipe out, err, status;
    STRATA_RETURN_IF_ERROR(out.Open());
    if (!req.merge_stderr) {
      STRATA_RETURN_IF_ERROR(err.Open());
    }
    STRATA_RETURN_IF_ERROR(status.Open());
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
      return Status::IoError(fmt::format("cannot start {}: {}", program, std::strerror(errno)));
    }
    if (pid == 0) {
      ExecChild(req, argv.data(), envp.data(), out.write, req.merge_stderr ? out.write : err.write,
                status.write, parent);
    }
    out.CloseWrite();
    err.CloseWrite();
    status.CloseWrite();
    ProcessResult result;
    Status drained = Drain(out.read, req.merge_stderr ? -1 : err.read, &result);
    int exec_errno = 0;
    ssize_t got;
    while ((got = ::read(status.read, &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
    }
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    if (got == static_cast<ssize_t>(sizeof exec_errno)) {
      return Status::IoError(fmt::format("cannot run {}: {}", program, std::strerror(exec_errno)));
    }
    STRATA_RETURN_IF_ERROR(drained);
    result.exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    return result;
  }
};

}  // namespace

std::unique_ptr<ProcessRunner> NewPosixProcessRunner() {
  return std::make_unique<PosixProcessRunner>();
}

}  // namespace strata::common
