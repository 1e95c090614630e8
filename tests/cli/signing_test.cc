// Signed commits through the real binary, judged twice: by strata (log --show-signature,
// verify) and by OpenSSH's own `ssh-keygen -Y verify` over the same message and signature, with
// the same allowed signers, revoked keys and the commit's time. The two judges must agree on
// every case: good ed25519 and RSA signatures, a forged signature, an unknown key, a revoked
// key, and a key not yet valid at the commit's time. The message itself is recomputed here from
// the stored bytes, by cutting the signature field off by hand. Keys are made by ssh-keygen in
// a temporary directory; nothing leaves the machine.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/log/env.h"
#include "engine/sign/sshsig.h"
#include "engine/store/commit_store.h"
#include "engine/store/hash.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::RunStrata;
using testing::StrataRun;

constexpr char kSshKeygen[] = "/usr/bin/ssh-keygen";

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

common::ProcessResult RunProgram(const std::vector<std::string>& argv, const std::string& dir) {
  common::ProcessRequest req;
  req.argv = argv;
  req.environment = {"PATH=/usr/bin:/bin", "TZ=UTC"};
  req.working_dir = dir;
  auto r = common::NewPosixProcessRunner()->Run(req);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : common::ProcessResult{-1, "", ""};
}

// "2026-12-06T20:22:58.635512Z" as ssh-keygen's verify-time: "20261206202258Z".
std::string SshTime(const std::string& rfc3339) {
  std::string digits;
  for (char c : rfc3339.substr(0, 19)) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  return digits + "Z";
}

std::string Varint(size_t n) {
  std::string out;
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
  return out;
}

class SigningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = tmp_ / "shop";
    keys_ = tmp_ / "keys";
    fs::create_directories(project_);
    fs::create_directories(keys_);
    ASSERT_EQ(Strata({"init", "--yes"}).code, 0);
    for (const auto& [name, type] : std::vector<std::pair<std::string, std::string>>{
             {"alice", "ed25519"}, {"bob", "rsa"}, {"carol", "ed25519"}, {"dave", "ed25519"},
             {"erin", "ed25519"}}) {
      std::vector<std::string> argv = {kSshKeygen, "-q", "-t", type, "-N", "", "-C", name,
                                       "-f", keys_ + "/" + name};
      if (type == "rsa") argv.insert(argv.begin() + 4, {"-b", "2048"});
      ASSERT_EQ(RunProgram(argv, keys_).exit_code, 0);
    }
    // carol signs but is nobody's allowed signer; dave is allowed and revoked; erin is allowed
    // only from 2099 on.
    Write(project_ + "/allowed_signers",
          "# who may sign commits\n"
          "alice@shop.example " + Pub("alice") +
          "bob@shop.example namespaces=\"git,strata\" " + Pub("bob") +
          "dave@shop.example " + Pub("dave") +
          "erin@shop.example valid-after=\"20990101Z\" " + Pub("erin"));
    Write(project_ + "/revoked_keys", Pub("dave"));
    base_config_ = Read(project_ + "/strata.yaml");
  }

  std::string Pub(const std::string& name) { return Read(keys_ + "/" + name + ".pub"); }

  StrataRun Strata(const std::vector<std::string>& args, const std::string& key = "") {
    std::vector<std::string> env = {"NO_COLOR=1", "PATH=/usr/bin:/bin", "HOME=" + tmp_.path(),
                                    "STRATA_ACTOR_NAME=dev", "STRATA_ACTOR_EMAIL=dev@shop.example",
                                    "STRATA_ACTOR_HOST=ci"};
    if (!key.empty()) env.push_back("STRATA_SIGNING_KEY=" + keys_ + "/" + key);
    return RunStrata(args, env, project_);
  }

  // strata.yaml with a signing section: the files above, require on, and a signing program.
  void ConfigureSigning(const std::string& program = "") {
    std::string text = base_config_ +
                       "\nsigning:\n"
                       "  allowed_signers: allowed_signers\n"
                       "  revoked_keys: revoked_keys\n"
                       "  require: true\n";
    if (!program.empty()) text += "  program: " + program + "\n";
    Write(project_ + "/strata.yaml", text);
  }

  // Records one commit (a new table) signed with `key` (none: unsigned).
  void Generate(const std::string& table, const std::string& key = "") {
    Write(project_ + "/schema/dynamodb/" + table + ".yaml",
          "table: " + table + "\npartition_key: { name: id, type: S }\n");
    StrataRun r = Strata({"generate", "-m", "add " + table}, key);
    ASSERT_EQ(r.code, 0) << r;
  }

  // Every commit's "signature" object from log --show-signature --json, by seq.
  std::map<uint64_t, nlohmann::json> Signatures() {
    StrataRun r = Strata({"log", "--show-signature", "--json"});
    EXPECT_EQ(r.code, 0) << r;
    std::map<uint64_t, nlohmann::json> out;
    const nlohmann::json log = r.Json();
    for (const auto& c : log["commits"]) {
      nlohmann::json s = c["signature"];
      s["time"] = c["time"];
      out[c["seq"].get<uint64_t>()] = s;
    }
    return out;
  }

  // The stored bytes of every commit, read with the engine's reader.
  std::map<uint64_t, std::string> Payloads() {
    std::map<uint64_t, std::string> out;
    auto env = NewPosixEnv();
    auto reader = CommitReader::Open(env.get(), project_ + "/.strata");
    EXPECT_TRUE(reader.ok());
    CommitScanOptions o;
    o.keep_payload = true;
    EXPECT_TRUE((*reader)
                    ->Scan(o, [&](const ScannedCommit& c) {
                      out[c.commit.seq()] = c.payload;
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  // OpenSSH's verdict on a commit's signature: `ssh-keygen -Y verify` with the project's
  // allowed signers as `principal`, at the commit's time, with or without the revoked keys.
  int SshKeygenVerify(const nlohmann::json& sig, const std::string& principal,
                      const std::string& verify_time, bool with_revoked = true) {
    Write(tmp_ / "commit.sig", sig["signature"].get<std::string>());
    Write(tmp_ / "commit.msg", sig["message"].get<std::string>());
    std::string cmd = std::string(kSshKeygen) + " -Y verify -f '" + project_ +
                      "/allowed_signers' -I " + principal + " -n strata -s '" +
                      (tmp_ / "commit.sig") + "' -Overify-time=" + verify_time;
    if (with_revoked) cmd += " -r '" + project_ + "/revoked_keys'";
    cmd += " < '" + (tmp_ / "commit.msg") + "'";
    return RunProgram({"/bin/sh", "-c", cmd}, tmp_.path()).exit_code;
  }

  testing::TempDir tmp_;
  std::string project_, keys_, base_config_;
};

TEST_F(SigningTest, StrataAndSshKeygenAgreeOnEveryCommit) {
  Generate("orders");  // seq 1: before signing was configured
  ConfigureSigning();
  Generate("items", "alice");   // 2: ed25519
  Generate("users", "bob");     // 3: RSA
  // 4: forged, by a signing program that signs other bytes than it was given.
  Write(tmp_ / "forge.sh",
        "#!/bin/sh\nfor last; do :; done\nprintf x >> \"$last\"\nexec " + std::string(kSshKeygen) +
            " \"$@\"\n");
  fs::permissions(tmp_ / "forge.sh", fs::perms::owner_all);
  ConfigureSigning(tmp_ / "forge.sh");
  Generate("carts", "alice");
  ConfigureSigning();
  Generate("prices", "carol");  // 5: unknown key
  Generate("stock", "dave");    // 6: revoked
  Generate("promos", "erin");   // 7: not yet valid

  struct Case {
    std::string status, principal;
  };
  const std::map<uint64_t, Case> expected = {
      {1, {"unsigned", ""}},
      {2, {"signed", "alice@shop.example"}},
      {3, {"signed", "bob@shop.example"}},
      {4, {"bad", "alice@shop.example"}},
      {5, {"unknown_key", "carol@shop.example"}},
      {6, {"revoked", "dave@shop.example"}},
      {7, {"not_valid_at_time", "erin@shop.example"}}};
  auto sigs = Signatures();
  auto payloads = Payloads();
  ASSERT_EQ(sigs.size(), expected.size());
  for (const auto& [seq, want] : expected) {
    SCOPED_TRACE("seq " + std::to_string(seq));
    const nlohmann::json& sig = sigs[seq];
    EXPECT_EQ(sig["status"], want.status) << sig.dump(2);
    // The message is the hex SHA-256 of the stored bytes without the signature field, which
    // is 0x7a, a length, then Signature{sshsig} (0x0a, a length, the blob) at the very end.
    const std::string& stored = payloads[seq];
    std::string unsigned_bytes = stored;
    if (sig.contains("signature")) {
      auto blob = sign::DearmorSshSig(sig["signature"].get<std::string>());
      ASSERT_TRUE(blob.ok());
      const std::string inner = "\x0a" + Varint(blob->size()) + *blob;
      const std::string field = "\x7a" + Varint(inner.size()) + inner;
      ASSERT_GE(stored.size(), field.size());
      ASSERT_EQ(stored.substr(stored.size() - field.size()), field);
      unsigned_bytes = stored.substr(0, stored.size() - field.size());
    }
    EXPECT_EQ(sig["message"], HashHex(Sha256(unsigned_bytes)));
    if (want.status == "unsigned") continue;
    const std::string at = SshTime(sig["time"].get<std::string>());
    const int openssh = SshKeygenVerify(sig, want.principal, at);
    EXPECT_EQ(openssh == 0, want.status == "signed") << "ssh-keygen exit " << openssh;
  }
  // Each refusal is for the reason strata gives: without the revoked keys ssh-keygen accepts
  // dave's signature, and at a time in erin's window it accepts hers.
  EXPECT_EQ(SshKeygenVerify(sigs[6], "dave@shop.example", SshTime(sigs[6]["time"]), false), 0);
  EXPECT_EQ(SshKeygenVerify(sigs[7], "erin@shop.example", "21000101Z"), 0);
  EXPECT_EQ(sigs[2]["text"], "signed by alice@shop.example (ED25519 " +
                                 sigs[2]["fingerprint"].get<std::string>() + ")");
  EXPECT_EQ(sigs[3]["key_type"], "RSA");
  EXPECT_EQ(sigs[6]["text"], "revoked key ED25519 " + sigs[6]["fingerprint"].get<std::string>());

  // verify: the bad signature fails it, whatever else; every problem is listed.
  StrataRun v = Strata({"verify", "--json"});
  EXPECT_EQ(v.code, 1) << v;
  const nlohmann::json j = v.Json()["signatures"];
  EXPECT_EQ(j["signed"], 2);
  EXPECT_EQ(j["unsigned"], 1);
  EXPECT_EQ(j["bad"], 1);
  EXPECT_EQ(j["unknown_key"], 1);
  EXPECT_EQ(j["revoked"], 1);
  EXPECT_EQ(j["not_valid_at_time"], 1);
  std::vector<uint64_t> problems;
  for (const auto& p : j["problems"]) problems.push_back(p["seq"].get<uint64_t>());
  EXPECT_EQ(problems, (std::vector<uint64_t>{4, 5, 6, 7}));
  StrataRun strict = Strata({"verify", "--require-signed", "--since", "1"});
  EXPECT_EQ(strict.code, 1) << strict;
  EXPECT_NE(strict.out.find("FAILED: 4 commits are not validly signed (--require-signed, after 1 = seq 1)"),
            std::string::npos)
      << strict;
}

TEST_F(SigningTest, UnsignedHistoryBeforeTheSwitchPassesWithSince) {
  Generate("orders");
  Generate("items");
  ConfigureSigning();
  // Required now: without a key nothing is recorded, and the message says what to set.
  Write(project_ + "/schema/dynamodb/users.yaml", "table: users\npartition_key: { name: id, type: S }\n");
  StrataRun refused = Strata({"generate", "-m", "add users"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("this project requires signed commits (signing.require at "),
            std::string::npos)
      << refused;
  EXPECT_NE(refused.err.find("no signing key is configured; nothing was recorded. Set "
                             "signing.key in strata.yaml (or STRATA_SIGNING_KEY)"),
            std::string::npos)
      << refused;
  // The switch-on point is tagged (a signed tag commit), then work goes on signed.
  StrataRun tag = Strata({"tag", "signing-on", "2"}, "alice");
  ASSERT_EQ(tag.code, 0) << tag;
  Generate("users", "bob");

  StrataRun since = Strata({"verify", "--require-signed", "--since", "signing-on"});
  EXPECT_EQ(since.code, 0) << since;
  EXPECT_NE(since.out.find("signatures: 2 signed, 2 unsigned\n"), std::string::npos) << since;

  StrataRun all = Strata({"verify", "--require-signed"});
  EXPECT_EQ(all.code, 1) << all;
  EXPECT_NE(all.out.find("  seq 1: unsigned\n  seq 2: unsigned\n"
                         "FAILED: 2 commits are not validly signed (--require-signed)\n"),
            std::string::npos)
      << all;
  // The chain is intact, but a failing run does not open with a plain "ok".
  EXPECT_EQ(all.out.rfind("chain ok: 4 commits, ", 0), 0u) << all;
  EXPECT_EQ(since.out.rfind("ok: 4 commits, ", 0), 0u) << since;
  // A plain verify reports the counts and passes: unsigned history is not damage.
  StrataRun plain = Strata({"verify"});
  EXPECT_EQ(plain.code, 0) << plain;
}

TEST_F(SigningTest, ABadAllowedSignersLineStopsTheCheckNamingIt) {
  Generate("orders", "");
  ConfigureSigning();
  Write(project_ + "/allowed_signers", "alice@shop.example cert-authority " + Pub("alice"));
  StrataRun r = Strata({"log", "--show-signature"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "strata: error: allowed_signers:1: cert-authority is not supported: list each "
            "signer's own public key\n");
}

// With a public key file, ssh-keygen asks ssh-agent for the signature: the private key stays
// in the agent (started here for this test alone, and stopped after).
TEST_F(SigningTest, APublicKeyFileSignsThroughTheAgent) {
  ConfigureSigning();
  Write(project_ + "/schema/dynamodb/orders.yaml",
        "table: orders\npartition_key: { name: id, type: S }\n");
  const std::string script =
      "set -e\n"
      "eval \"$(ssh-agent -s -a '" + (tmp_ / "agent.sock") + "')\" >/dev/null\n"
      "trap 'ssh-agent -k >/dev/null' EXIT\n"
      "ssh-add -q '" + keys_ + "/alice' 2>/dev/null\n"
      "rm '" + keys_ + "/alice'\n"  // only the agent holds the private key now
      "cd '" + project_ + "'\n"
      "NO_COLOR=1 HOME='" + tmp_.path() + "' STRATA_SIGNING_KEY='" + keys_ + "/alice.pub' '" +
      STRATA_BINARY + "' generate -m 'add orders'\n";
  const common::ProcessResult r = RunProgram({"/bin/sh", "-c", script}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.output << r.errors;
  auto sigs = Signatures();
  ASSERT_EQ(sigs.size(), 1u);
  EXPECT_EQ(sigs[1]["status"], "signed") << sigs[1].dump(2);
  EXPECT_EQ(sigs[1]["principals"], "alice@shop.example");
}

}  // namespace
}  // namespace strata
