// The ssh-keygen signer: the message goes to a file in a private temporary directory, and
// `ssh-keygen -Y sign -n strata -f KEY FILE` writes FILE.sig beside it (armored), as git does
// with gpg.format=ssh. With a public key file, ssh-keygen asks the agent for the signature.
#include "cli/signing.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/common/process_runner.h"

namespace strata::cli {
namespace fs = std::filesystem;

namespace {

// What the signing program inherits: enough to find the agent and ask for a passphrase.
constexpr const char* kPassedVariables[] = {"HOME", "PATH", "SSH_AUTH_SOCK", "SSH_ASKPASS",
                                            "SSH_ASKPASS_REQUIRE", "DISPLAY", "USER", "LOGNAME",
                                            "TMPDIR", "LANG"};

std::string LastLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const size_t nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

Result<std::string> FindProgram(const Context& ctx, const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  std::istringstream dirs(ctx.getenv("PATH").value_or("/usr/bin:/bin"));
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const fs::path p = fs::path(dir.empty() ? "." : dir) / name;
    if (::access(p.c_str(), X_OK) == 0) return fs::absolute(p).string();
  }
  return Status::NotFound(fmt::format(
      "{} not found on PATH, so commits cannot be signed; install OpenSSH's client tools "
      "(openssh-client) or set signing.program in strata.yaml",
      name));
}

// A directory only this process uses, removed with everything in it when it goes.
class ScratchDir {
 public:
  static Result<std::unique_ptr<ScratchDir>> Make(const Context& ctx) {
    std::string pattern = ctx.getenv("TMPDIR").value_or("/tmp") + "/strata-sign-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Status::IoError(fmt::format("cannot make a temporary directory for signing ({})",
                                         pattern));
    }
    return std::unique_ptr<ScratchDir>(new ScratchDir(pattern));
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

class SshKeygenSigner : public sign::Signer {
 public:
  SshKeygenSigner(const Context& ctx, std::string program, std::string key)
      : ctx_(ctx), program_(std::move(program)), key_(std::move(key)) {}

  Result<std::string> Sign(std::string_view message) override {
    STRATA_ASSIGN_OR_RETURN(auto dir, ScratchDir::Make(ctx_));
    const std::string file = dir->path() + "/commit";
    std::ofstream(file, std::ios::binary) << message;
    common::ProcessRequest req;
    req.argv = {program_, "-Y", "sign", "-n", std::string(sign::kSignatureNamespace), "-f", key_,
                file};
    for (const char* name : kPassedVariables) {
      if (auto v = ctx_.getenv(name)) req.environment.push_back(fmt::format("{}={}", name, *v));
    }
    STRATA_ASSIGN_OR_RETURN(common::ProcessResult r,
                            common::NewPosixProcessRunner()->Run(req));
    if (r.exit_code != 0) {
      return Status::FailedPrecondition(fmt::format(
          "signing the commit with {} failed ({} exited with {}: {}); nothing was recorded. "
          "Check the key (or that ssh-agent holds it when the key is a .pub file)",
          key_, fs::path(program_).filename().string(), r.exit_code, LastLine(r.errors)));
    }
    std::ifstream in(file + ".sig", std::ios::binary);
    std::stringstream armored;
    armored << in.rdbuf();
    auto blob = sign::DearmorSshSig(armored.str());
    if (!blob.ok()) {
      return Status::FailedPrecondition(fmt::format(
          "{} wrote no usable signature ({}); nothing was recorded", program_,
          blob.status().message()));
    }
    return blob;
  }

 private:
  const Context& ctx_;
  std::string program_;
  std::string key_;
};

// Under signing.require with no key: every commit is refused, saying how to configure one.
class RefusingSigner : public sign::Signer {
 public:
  explicit RefusingSigner(std::string where) : where_(std::move(where)) {}
  Result<std::string> Sign(std::string_view) override {
    return Status::FailedPrecondition(fmt::format(
        "this project requires signed commits (signing.require at {}) and no signing key is "
        "configured; nothing was recorded. Set signing.key in strata.yaml (or STRATA_SIGNING_KEY) "
        "to your SSH key, e.g. ~/.ssh/id_ed25519 (or its .pub file, to sign with ssh-agent)",
        where_));
  }

 private:
  std::string where_;
};

Result<std::string> ReadNamed(const Context& ctx, const std::string& path,
                              const std::string& setting) {
  if (!ctx.env->Exists(path)) {
    return Status::NotFound(fmt::format("{}: no such file (signing.{} at {})", path, setting,
                                        ctx.project.signing.where));
  }
  return ctx.env->ReadFile(path);
}

}  // namespace

Result<std::shared_ptr<sign::Signer>> SignerFor(const Context& ctx) {
  const SigningConfig& s = ctx.project.signing;
  std::string key = s.key;
  if (auto k = ctx.getenv("STRATA_SIGNING_KEY"); k && !k->empty()) {
    key = fs::absolute(fs::path(ctx.cwd) / *k).lexically_normal().string();
  }
  if (key.empty()) {
    if (!s.require) return std::shared_ptr<sign::Signer>();
    return std::shared_ptr<sign::Signer>(std::make_shared<RefusingSigner>(s.require_where));
  }
  STRATA_ASSIGN_OR_RETURN(std::string program,
                          FindProgram(ctx, s.program.empty() ? "ssh-keygen" : s.program));
  return std::shared_ptr<sign::Signer>(
      std::make_shared<SshKeygenSigner>(ctx, std::move(program), std::move(key)));
}

Result<TrustFiles> LoadTrust(const Context& ctx) {
  const SigningConfig& s = ctx.project.signing;
  TrustFiles t;
  if (!s.allowed_signers.empty()) {
    STRATA_ASSIGN_OR_RETURN(std::string text, ReadNamed(ctx, s.allowed_signers, "allowed_signers"));
    STRATA_ASSIGN_OR_RETURN(t.allowed,
                            sign::ParseAllowedSigners(text, ProjectRelative(ctx, s.allowed_signers)));
  }
  if (!s.revoked_keys.empty()) {
    STRATA_ASSIGN_OR_RETURN(std::string text, ReadNamed(ctx, s.revoked_keys, "revoked_keys"));
    STRATA_ASSIGN_OR_RETURN(t.revoked,
                            sign::ParseRevokedKeys(text, ProjectRelative(ctx, s.revoked_keys)));
  }
  return t;
}

nlohmann::ordered_json SignatureJson(const sign::SignatureCheck& c) {
  nlohmann::ordered_json j = {{"status", sign::StatusName(c.status)}, {"text", c.Describe()}};
  if (!c.principals.empty()) j["principals"] = c.principals;
  if (!c.fingerprint.empty()) {
    j["key_type"] = c.key_kind;
    j["fingerprint"] = c.fingerprint;
  }
  if (!c.detail.empty()) j["detail"] = c.detail;
  j["message"] = c.message;
  if (!c.sshsig.empty()) j["signature"] = sign::ArmorSshSig(c.sshsig);
  return j;
}

Color SignatureColor(const sign::SignatureCheck& c) {
  if (c.ok()) return Color::kGreen;
  if (c.status == sign::SignatureStatus::kBad || c.status == sign::SignatureStatus::kRevoked) {
    return Color::kRed;
  }
  return Color::kYellow;
}

}  // namespace strata::cli
