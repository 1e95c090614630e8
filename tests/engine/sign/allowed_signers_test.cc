// The allowed-signers and revoked-keys files: what each line says, and errors naming FILE:LINE
// with the fix.
#include "engine/sign/allowed_signers.h"

#include <gtest/gtest.h>

namespace strata::sign {
namespace {

constexpr std::string_view kEd =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM2lxAyPfiiFxIu9Pp+TszSpHm5zJijuyfBM3WJ3erIi";

std::string Line(std::string_view head, std::string_view tail = "") {
  return std::string(head) + " " + std::string(kEd) + std::string(tail) + "\n";
}

TEST(AllowedSigners, ReadsPrincipalsOptionsAndKeys) {
  const std::string text = "# who may sign\n\n" + Line("alice@shop.example", " alice's laptop") +
                           Line("bob@shop.example,ops@shop.example "
                                "namespaces=\"git,strata\",valid-after=\"20260301\","
                                "valid-before=\"20270101120000Z\"");
  auto a = ParseAllowedSigners(text, "allowed_signers");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->entries.size(), 2u);
  EXPECT_EQ(a->entries[0].principals, "alice@shop.example");
  EXPECT_TRUE(a->entries[0].namespaces.empty());
  EXPECT_FALSE(a->entries[0].valid_after.has_value());
  EXPECT_EQ(a->entries[0].where, "allowed_signers:3");
  EXPECT_EQ(a->entries[0].key.Fingerprint(), "SHA256:JhYhxv4/NWZzevcH5OyhrNOUR4xmqaDG+ck1FPrz2ng");
  EXPECT_EQ(a->entries[1].principals, "bob@shop.example,ops@shop.example");
  EXPECT_EQ(a->entries[1].namespaces, (std::vector<std::string>{"git", "strata"}));
  EXPECT_EQ(*a->entries[1].valid_after, int64_t{1772323200} * 1000000);   // 2026-03-01
  EXPECT_EQ(*a->entries[1].valid_before, int64_t{1798804800} * 1000000);  // 2027-01-01 12:00
  EXPECT_EQ(a->entries[1].where, "allowed_signers:4");
}

TEST(AllowedSigners, KeysOfOtherTypesAreSkipped) {
  // An ECDSA key (its blob: the type, the curve, the point) in a file shared with git.
  std::string blob;
  for (std::string_view part : {std::string_view("ecdsa-sha2-nistp256"), std::string_view("nistp256"),
                                std::string_view("\x04point")}) {
    blob += std::string("\0\0\0", 3) + static_cast<char>(part.size());
    blob += part;
  }
  const std::string text = "carol@shop.example ecdsa-sha2-nistp256 " + Base64Encode(blob) + "\n" +
                           Line("alice@shop.example");
  auto a = ParseAllowedSigners(text, "allowed_signers");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->entries.size(), 1u);
  EXPECT_EQ(a->entries[0].where, "allowed_signers:2");
}

TEST(AllowedSigners, QuotedPrincipalsMayHoldSpaces) {
  auto a = ParseAllowedSigners(Line("\"Alice Smith\""), "f");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->entries[0].principals, "Alice Smith");
}

TEST(AllowedSigners, ErrorsNameTheFileAndLine) {
  auto err = [](const std::string& text) {
    return ParseAllowedSigners(text, "allowed_signers").status().ToString();
  };
  EXPECT_EQ(err("\n" + Line("ca@shop.example cert-authority")),
            "UNIMPLEMENTED: allowed_signers:2: cert-authority is not supported: list each "
            "signer's own public key");
  EXPECT_EQ(err(Line("a@b expires=\"1\"")),
            "INVALID_ARGUMENT: allowed_signers:1: unknown option \"expires\"");
  EXPECT_EQ(err(Line("a@b valid-after=\"2026-03-01\"")),
            "INVALID_ARGUMENT: allowed_signers:1: valid-after: \"2026-03-01\" is not a time; use "
            "YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS (UTC, Z optional)");
  EXPECT_EQ(err("alice@shop.example\n"),
            "INVALID_ARGUMENT: allowed_signers:1: expected a public key after the principals");
  EXPECT_EQ(err("alice@shop.example ssh-ed25519 !!!!\n"),
            "INVALID_ARGUMENT: allowed_signers:1: the ssh-ed25519 key is not valid base64");
  EXPECT_EQ(err("\"alice ssh-ed25519 AAAA\n"),
            "INVALID_ARGUMENT: allowed_signers:1: unterminated quote");
}

TEST(AllowedSigners, TimesAreUtcWithOrWithoutZ) {
  EXPECT_EQ(*ParseSignerTime("19700101"), 0);
  EXPECT_EQ(*ParseSignerTime("20300101Z"), int64_t{1893456000} * 1000000);
  EXPECT_EQ(*ParseSignerTime("203001010000"), int64_t{1893456000} * 1000000);
  EXPECT_EQ(*ParseSignerTime("20300101000001"), int64_t{1893456001} * 1000000);
  EXPECT_EQ(ParseSignerTime("20301301").status().ToString(),
            "INVALID_ARGUMENT: \"20301301\" is not a valid date and time");
}

TEST(AllowedSigners, PatternListsMatchLikeOpenSsh) {
  EXPECT_TRUE(MatchPatternList("strata", {"git", "strata"}));
  EXPECT_TRUE(MatchPatternList("strata", {"str*"}));
  EXPECT_TRUE(MatchPatternList("strata", {"str?ta"}));
  EXPECT_FALSE(MatchPatternList("strata", {"git"}));
  EXPECT_FALSE(MatchPatternList("strata", {"*", "!strata"}));
}

TEST(RevokedKeys, OneKeyALine) {
  auto r = ParseRevokedKeys("# gone\n" + std::string(kEd) + " old laptop\n", "revoked_keys");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].Kind(), "ED25519");
  EXPECT_EQ(ParseRevokedKeys("\nnot-a-key\n", "revoked_keys").status().ToString(),
            "INVALID_ARGUMENT: revoked_keys:2: expected a key type and a base64 key");
}

}  // namespace
}  // namespace strata::sign
