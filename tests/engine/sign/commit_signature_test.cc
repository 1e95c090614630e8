// Where a commit's signature sits in its stored bytes, and the judgement of one commit's
// signature: signed, unsigned, unknown key, revoked, not valid at the commit's time, bad.
#include "engine/sign/commit_signature.h"

#include <gtest/gtest.h>

#include "engine/store/commit_store.h"
#include "tests/engine/testing/test_signer.h"

namespace strata::sign {
namespace {

constexpr int64_t kMarch2026 = int64_t{1772323200} * 1000000;  // 2026-03-01T00:00:00Z

std::string UnsignedPayload() {
  pb::Commit c;
  c.set_seq(3);
  c.set_prev_hash(std::string(32, '\1'));
  c.set_time_unix_micros(kMarch2026 + 5);
  c.set_message("add orders");
  c.mutable_actor()->set_name("alice");
  std::string out;
  EXPECT_TRUE(SerializeCommit(c, &out).ok());
  return out;
}

class CommitSignatureTest : public ::testing::Test {
 protected:
  // The payload as the recorder stores it: U || F.
  std::string Signed(const std::string& u) {
    auto blob = signer_.Sign(SignedMessage(u));
    EXPECT_TRUE(blob.ok());
    return u + SignatureField(*blob);
  }
  void Allow(const std::string& line_head) {
    auto a = ParseAllowedSigners(line_head + " " + signer_.PublicLine() + "\n", "allowed_signers");
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    allowed_ = *a;
  }
  SignatureCheck Check(const std::string& payload, int64_t time = kMarch2026 + 5) {
    return CheckCommitSignature(payload, time, Trust{&allowed_, &revoked_});
  }
  std::string Fingerprint() const {
    return ParsePublicKeyLine(signer_.PublicLine())->Fingerprint();
  }

  testing::TestSigner signer_;
  AllowedSigners allowed_;
  std::vector<PublicKey> revoked_;
};

TEST_F(CommitSignatureTest, TheSignatureIsTheLastFieldAndTheRestIsWhatWasSigned) {
  const std::string u = UnsignedPayload();
  const std::string stored = Signed(u);
  auto split = SplitSignature(stored);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  EXPECT_EQ(split->unsigned_bytes, u);
  ASSERT_TRUE(split->field.has_value());
  EXPECT_EQ(std::string(*split->field), stored.substr(u.size()));
  // Protobuf reads the concatenation as one commit: every field, and the signature.
  pb::Commit parsed;
  ASSERT_TRUE(parsed.ParseFromString(stored));
  EXPECT_EQ(parsed.message(), "add orders");
  EXPECT_EQ(parsed.seq(), 3u);
  EXPECT_EQ(parsed.signature().sshsig(), signer_.Blob(signer_.messages[0], "strata"));
  // The signed message: the hex SHA-256 of the unsigned bytes.
  EXPECT_EQ(signer_.messages[0], HashHex(Sha256(u)));
}

TEST_F(CommitSignatureTest, AnUnsignedCommitIsAllUnsignedBytes) {
  const std::string u = UnsignedPayload();
  auto split = SplitSignature(u);
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(split->unsigned_bytes, u);
  EXPECT_FALSE(split->field.has_value());
  const SignatureCheck c = Check(u);
  EXPECT_EQ(c.status, SignatureStatus::kUnsigned);
  EXPECT_EQ(c.Describe(), "unsigned");
}

TEST_F(CommitSignatureTest, AFieldAfterTheSignatureIsABadSignature) {
  const std::string stored = Signed(UnsignedPayload());
  pb::Commit more;
  more.set_message("appended after signing");
  std::string tail;
  ASSERT_TRUE(SerializeCommit(more, &tail).ok());
  EXPECT_EQ(SplitSignature(stored + tail).status().ToString(),
            "CORRUPTION: the signature is not the last field of the commit");
  Allow("alice@shop.example");
  EXPECT_EQ(Check(stored + tail).Describe(),
            "bad signature: the signature is not the last field of the commit");
  EXPECT_EQ(SplitSignature(stored.substr(0, stored.size() - 1)).status().ToString(),
            "CORRUPTION: the commit's bytes are not a protobuf message");
}

TEST_F(CommitSignatureTest, AValidSignatureByAnAllowedSigner) {
  Allow("alice@shop.example");
  const SignatureCheck c = Check(Signed(UnsignedPayload()));
  EXPECT_EQ(c.status, SignatureStatus::kSigned);
  EXPECT_EQ(c.Describe(), "signed by alice@shop.example (ED25519 " + Fingerprint() + ")");
}

TEST_F(CommitSignatureTest, ASignatureOverOtherBytesIsBad) {
  Allow("alice@shop.example");
  const std::string u = UnsignedPayload();
  signer_.forge = true;
  const SignatureCheck c = Check(Signed(u));
  EXPECT_EQ(c.status, SignatureStatus::kBad);
  EXPECT_EQ(c.Describe(),
            "bad signature: the signature does not match (ED25519 " + Fingerprint() + ")");
  // A commit whose bytes changed after signing: the same.
  signer_.forge = false;
  std::string edited = Signed(u);
  edited[edited.find("orders")] = 'O';
  EXPECT_EQ(Check(edited).status, SignatureStatus::kBad);
}

TEST_F(CommitSignatureTest, AKeyNoAllowedSignerHasIsUnknown) {
  testing::TestSigner other(42);
  auto a = ParseAllowedSigners("bob@shop.example " + other.PublicLine() + "\n", "allowed_signers");
  ASSERT_TRUE(a.ok());
  allowed_ = *a;
  EXPECT_EQ(Check(Signed(UnsignedPayload())).Describe(),
            "unknown key ED25519 " + Fingerprint() + ": no allowed signer has this key");
  EXPECT_EQ(CheckCommitSignature(Signed(UnsignedPayload()), kMarch2026, Trust{}).Describe(),
            "unknown key ED25519 " + Fingerprint() +
                ": no allowed-signers file is configured (signing.allowed_signers in strata.yaml)");
}

TEST_F(CommitSignatureTest, AKeyAllowedOnlyForOtherNamespacesIsUnknown) {
  Allow("alice@shop.example namespaces=\"git\"");
  EXPECT_EQ(Check(Signed(UnsignedPayload())).status, SignatureStatus::kUnknownKey);
  Allow("alice@shop.example namespaces=\"git,strata\"");
  EXPECT_EQ(Check(Signed(UnsignedPayload())).status, SignatureStatus::kSigned);
}

TEST_F(CommitSignatureTest, ARevokedKeyIsRevokedEvenWhenAllowed) {
  Allow("alice@shop.example");
  revoked_.push_back(*ParsePublicKeyLine(signer_.PublicLine()));
  const SignatureCheck c = Check(Signed(UnsignedPayload()));
  EXPECT_EQ(c.status, SignatureStatus::kRevoked);
  EXPECT_EQ(c.Describe(), "revoked key ED25519 " + Fingerprint());
}

TEST_F(CommitSignatureTest, TheKeyMustBeValidAtTheCommitsTime) {
  Allow("alice@shop.example valid-after=\"20260302Z\"");
  const std::string stored = Signed(UnsignedPayload());
  const SignatureCheck early = Check(stored);
  EXPECT_EQ(early.status, SignatureStatus::kNotValidAtTime);
  EXPECT_EQ(early.Describe(), "key not valid at the commit's time (ED25519 " + Fingerprint() +
                                  "): alice@shop.example (allowed_signers:1): the commit is from "
                                  "2026-03-01T00:00:00.000005Z, the key is valid from 2026-03-02T00:00:00Z");
  EXPECT_EQ(Check(stored, kMarch2026 + int64_t{86400} * 1000000).status, SignatureStatus::kSigned);
  Allow("alice@shop.example valid-before=\"20260228\"");
  EXPECT_EQ(Check(stored).detail,
            "alice@shop.example (allowed_signers:1): the commit is from 2026-03-01T00:00:00.000005Z, "
            "the key is valid until 2026-02-28T00:00:00Z");
}

TEST_F(CommitSignatureTest, ASignerBlobMustBeAnSshSigInTheStrataNamespace) {
  EXPECT_TRUE(CheckSignatureBlob(signer_.Blob("m", "strata")).ok());
  EXPECT_EQ(CheckSignatureBlob(signer_.Blob("m", "git")).ToString(),
            "INVALID_ARGUMENT: the signature is for namespace \"git\", not \"strata\"");
  EXPECT_EQ(CheckSignatureBlob("-----BEGIN SSH SIGNATURE-----").ToString(),
            "INVALID_ARGUMENT: not an SSH signature (no SSHSIG magic)");
}

// The stored bytes are untrusted: every truncation and every single flipped bit of a signed
// commit is judged without crashing, and never as validly signed.
TEST_F(CommitSignatureTest, NoDamagedPayloadPassesAsSigned) {
  Allow("alice@shop.example");
  const std::string stored = Signed(UnsignedPayload());
  ASSERT_TRUE(Check(stored).ok());
  size_t judged = 0;
  for (size_t n = 0; n < stored.size(); ++n) {
    EXPECT_FALSE(Check(stored.substr(0, n)).ok()) << "cut at " << n;
    ++judged;
  }
  for (size_t i = 0; i < stored.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = stored;
      damaged[i] = static_cast<char>(damaged[i] ^ (1 << bit));
      EXPECT_FALSE(Check(damaged).ok()) << "byte " << i << " bit " << bit;
      ++judged;
    }
  }
  EXPECT_EQ(judged, stored.size() * 9);
}

}  // namespace
}  // namespace strata::sign
