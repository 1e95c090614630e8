// What particular seeds of the signatures fuzz target (tests/fuzz/signatures_seeds/) give: the
// signed commits judged signed, so the target's "signed" branch is exercised, and the hostile
// ones judged as users would be told. Every seed also goes through the target's own check in
// fuzz_seeds_test.cc.
#include <gtest/gtest.h>

#include <string>

#include "tests/fuzz/seeds.h"
#include "tests/fuzz/signatures_fuzz_body.h"

namespace strata::fuzz {
namespace {

// A seed without its first byte (the mode).
std::string Data(const std::string& name) { return Seed("signatures", name).substr(1); }

sign::SignatureStatus Judged(const std::string& name) {
  return sign::CheckCommitSignature(Data(name), kFuzzCommitTime, FuzzTrust()).status;
}

TEST(SignaturesFuzzSeeds, TheTrustHoldsBothSeedKeys) {
  ASSERT_EQ(FuzzAllowedSigners().entries.size(), 2u);
  EXPECT_EQ(FuzzAllowedSigners().entries[0].key.type, "ssh-ed25519");
  EXPECT_EQ(FuzzAllowedSigners().entries[1].key.type, "ssh-rsa");
}

TEST(SignaturesFuzzSeeds, SignedCommitsAreJudgedSignedByTheirKey) {
  EXPECT_EQ(Judged("commit_signed_ed"), sign::SignatureStatus::kSigned)
      << sign::CheckCommitSignature(Data("commit_signed_ed"), kFuzzCommitTime, FuzzTrust())
             .Describe();
  EXPECT_EQ(Judged("commit_signed_rsa"), sign::SignatureStatus::kSigned);
  EXPECT_EQ(Judged("commit_unsigned"), sign::SignatureStatus::kUnsigned);
}

TEST(SignaturesFuzzSeeds, AnotherNamespaceATamperedCommitOrAFieldAfterTheSignatureIsBad) {
  EXPECT_EQ(Judged("commit_signed_namespace_git"), sign::SignatureStatus::kBad);
  EXPECT_EQ(Judged("commit_tampered"), sign::SignatureStatus::kBad);
  const sign::SignatureCheck after =
      sign::CheckCommitSignature(Data("commit_signature_not_last"), kFuzzCommitTime, FuzzTrust());
  EXPECT_EQ(after.status, sign::SignatureStatus::kBad);
  EXPECT_NE(after.detail.find("not the last field"), std::string::npos) << after.detail;
}

TEST(SignaturesFuzzSeeds, TheBlobsParseAndOnlyTheStrataOneIsAccepted) {
  EXPECT_TRUE(sign::ParseSshSig(Data("sshsig_ed")).ok());
  EXPECT_TRUE(sign::ParseSshSig(Data("sshsig_rsa")).ok());
  EXPECT_TRUE(sign::CheckSignatureBlob(Data("sshsig_ed")).ok());
  EXPECT_FALSE(sign::CheckSignatureBlob(Data("sshsig_namespace_git")).ok());
  EXPECT_TRUE(sign::DearmorSshSig(Data("armored_rsa")).ok());
}

TEST(SignaturesFuzzSeeds, TheSignerFilesReadAsSshKeygenReadsThem) {
  auto signers = sign::ParseAllowedSigners(Data("allowed_signers_options"), "allowed_signers");
  ASSERT_TRUE(signers.ok()) << signers.status().ToString();
  EXPECT_EQ(signers->entries.size(), 3u);
  auto skipped = sign::ParseAllowedSigners(Data("allowed_signers_ecdsa_skipped"), "a");
  ASSERT_TRUE(skipped.ok()) << skipped.status().ToString();
  EXPECT_EQ(skipped->entries.size(), 1u);
  auto ca = sign::ParseAllowedSigners(Data("allowed_signers_cert_authority"), "a");
  ASSERT_FALSE(ca.ok());
  EXPECT_EQ(ca.status().message().rfind("a:1: ", 0), 0u) << ca.status().message();
  auto revoked = sign::ParseRevokedKeys(Data("revoked_keys"), "revoked_keys");
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->size(), 2u);
}

}  // namespace
}  // namespace strata::fuzz
