// SSHSIG parsing and checking against signatures ssh-keygen made (ssh-keygen -Y sign -n strata
// over kMessage, keys made with ssh-keygen -t ed25519 / -t rsa -b 2048), so a verifier that
// disagreed with OpenSSH would fail here.
#include "engine/sign/sshsig.h"

#include <gtest/gtest.h>

namespace strata::sign {
namespace {

constexpr std::string_view kMessage =
    "5f2b9c0e4a1d3b7c8e6f0a2d4c6e8a0b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f";

constexpr std::string_view kEdPub =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM2lxAyPfiiFxIu9Pp+TszSpHm5zJijuyfBM3WJ3erIi alice";
constexpr std::string_view kEdSig = R"(-----BEGIN SSH SIGNATURE-----
U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgzaXEDI9+KIXEi70+n5OzNKkebn
MmKO7J8EzdYnd6siIAAAAGc3RyYXRhAAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1
NTE5AAAAQCP9VI7vOY3o9DisIa8jg4rl5UtVpT4kjGaPpWZ+SaKFCvmH5r8AcmPEzXAFln
pRHrR8Q9dvAsw3CG7fsdw+ZgM=
-----END SSH SIGNATURE-----
)";
constexpr std::string_view kEdGitSig = R"(-----BEGIN SSH SIGNATURE-----
U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgzaXEDI9+KIXEi70+n5OzNKkebn
MmKO7J8EzdYnd6siIAAAADZ2l0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5
AAAAQNZR4zei628N123W9VRLf0dU//EsoiNlZggrfD1aJGDxOPuFZeoz4oqfb1YZvFg4bk
tjcAaFaITvg5SNjjB+fw4=
-----END SSH SIGNATURE-----
)";
constexpr std::string_view kRsaSig = R"(-----BEGIN SSH SIGNATURE-----
U1NIU0lHAAAAAQAAARcAAAAHc3NoLXJzYQAAAAMBAAEAAAEBAM0cdiyy9x3IDpCLtWc7Jl
Xv82oug4YNAdfj25n7XcySfqW31n6nVzdCdNFLLpWipjASEIUeUQiV0ZhjB5dIeziEetTh
Sa45rrabk2SdUuKzCHTRtXQxw4nIRzwSKtuweDsjXfI0Vk0L2Sav90Yo1x401t4f0gR/Zm
fwWErVbnSqW1hDmiFM1BlvqLXap4ErJ40Thc7FU5n8kAZXj4yD3KXErSqwXtIekExv4lfu
t0J1xpmA97VMkkUYGyNBTuT2YmvXiclby0mc4UL1pCnJ8NJX68MBloxX2kzTd4GHbrmFK7
zcAYYrpgDsJtFx/HPxBOVP1JP24KWJRkzY7upE3HcAAAAGc3RyYXRhAAAAAAAAAAZzaGE1
MTIAAAEUAAAADHJzYS1zaGEyLTUxMgAAAQA3BmdH5c0Gvs3trmYOKVJ46UNJaNhpDSsnlX
3LOXRKioqOG5Q1yLenM7QsgVgLvIysAmJV79JLoMsucDehywytQySzYA/BHmmWUbQjVScL
odaoW1SOFeSg10W0kc7CZi5m48b9VxNFNZvcFy0Fuf9vQFJ+dZ+Qu3s569lrLZCcIFLZoq
yJ2YawXFwoY+s5Xf/9WEVHU7SbpPWjidKl7c11e4Fsh4fktpi+TlmPPmK7M2GUml+JnLRV
QIZJBx6x11tfssS2r9xV68FYtlEPZ9tVlaxq795LYyGb1pGtmwVYB3rq10WGWL+ns6e3Rm
9X6nkZRpfaE8pjEHZcwtwgOCwx
-----END SSH SIGNATURE-----
)";

SshSig Parsed(std::string_view armored) {
  auto blob = DearmorSshSig(armored);
  EXPECT_TRUE(blob.ok()) << blob.status().ToString();
  auto sig = ParseSshSig(*blob);
  EXPECT_TRUE(sig.ok()) << sig.status().ToString();
  return *sig;
}

// Found by the signatures fuzz target: a blob's key type went into the message as raw bytes.
TEST(SshSig, TextFromABlobIsShownPrintable) {
  EXPECT_EQ(Shown("ssh-ed25519"), "ssh-ed25519");
  EXPECT_EQ(Shown("\xf3sh-ed\n25519"), "\\xF3sh-ed\\x0A25519");
  EXPECT_EQ(Shown(std::string(70, 'a')), std::string(64, 'a') + "...");
  const auto wire = [](const std::string& bytes) {
    const auto n = static_cast<uint32_t>(bytes.size());
    return std::string{static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                       static_cast<char>(n >> 8), static_cast<char>(n)} + bytes;
  };
  const std::string blob = "SSHSIG" + std::string("\0\0\0\1", 4) +
                           wire(wire("\x1bsh-ed25519") + wire(std::string(32, 'k'))) +
                           wire("strata") + wire("") + wire("sha512") +
                           wire(wire("ssh-ed25519") + wire(std::string(64, 's')));
  auto parsed = ParseSshSig(blob);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            "key type \"\\x1Bsh-ed25519\" is not supported; use ssh-ed25519 or ssh-rsa keys");
}

TEST(SshSig, AnEd25519SignatureByOpenSshVerifies) {
  const SshSig sig = Parsed(kEdSig);
  EXPECT_EQ(sig.key.Kind(), "ED25519");
  // As `ssh-keygen -lf` prints it for the same key.
  EXPECT_EQ(sig.key.Fingerprint(), "SHA256:JhYhxv4/NWZzevcH5OyhrNOUR4xmqaDG+ck1FPrz2ng");
  EXPECT_EQ(sig.name_space, "strata");
  EXPECT_EQ(sig.hash_algorithm, "sha512");
  EXPECT_TRUE(VerifySshSig(sig, "strata", kMessage).ok());
  auto pub = ParsePublicKeyLine(kEdPub);
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_TRUE(*pub == sig.key);
}

TEST(SshSig, AnRsaSha512SignatureByOpenSshVerifies) {
  const SshSig sig = Parsed(kRsaSig);
  EXPECT_EQ(sig.key.Kind(), "RSA");
  EXPECT_EQ(sig.key.Fingerprint(), "SHA256:36eNR7aLBzmDXHmIJEkSHllePvQEVmeAJxII0oeO7NE");
  EXPECT_EQ(sig.signature_type, "rsa-sha2-512");
  EXPECT_TRUE(VerifySshSig(sig, "strata", kMessage).ok());
}

TEST(SshSig, AnotherMessageDoesNotVerify) {
  for (std::string_view armored : {kEdSig, kRsaSig}) {
    Status s = VerifySshSig(Parsed(armored), "strata", std::string(kMessage) + "0");
    EXPECT_EQ(s.ToString(), "INVALID_ARGUMENT: the signature does not match");
  }
}

TEST(SshSig, AFlippedSignatureByteDoesNotVerify) {
  for (std::string_view armored : {kEdSig, kRsaSig}) {
    SshSig sig = Parsed(armored);
    sig.signature[10] ^= 0x01;
    EXPECT_EQ(VerifySshSig(sig, "strata", kMessage).ToString(),
              "INVALID_ARGUMENT: the signature does not match");
  }
}

TEST(SshSig, ASignatureInAnotherNamespaceIsRefused) {
  const SshSig sig = Parsed(kEdGitSig);
  EXPECT_EQ(VerifySshSig(sig, "strata", kMessage).ToString(),
            "INVALID_ARGUMENT: the signature is for namespace \"git\", not \"strata\"");
  EXPECT_TRUE(VerifySshSig(sig, "git", kMessage).ok());
}

TEST(SshSig, AKeyOfOneKindWithASignatureOfAnotherIsRefused) {
  SshSig sig = Parsed(kEdSig);
  sig.signature_type = "rsa-sha2-256";
  EXPECT_EQ(VerifySshSig(sig, "strata", kMessage).ToString(),
            "INVALID_ARGUMENT: a rsa-sha2-256 signature does not fit a ssh-ed25519 key");
}

TEST(SshSig, ArmorIsWhatSshKeygenWrites) {
  auto blob = DearmorSshSig(kEdSig);
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(ArmorSshSig(*blob), kEdSig);
  auto rsa = DearmorSshSig(kRsaSig);
  ASSERT_TRUE(rsa.ok());
  EXPECT_EQ(ArmorSshSig(*rsa), kRsaSig);
}

TEST(SshSig, MalformedBlobsSayWhatIsWrong) {
  auto blob = DearmorSshSig(kEdSig);
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(ParseSshSig("SSHSIX" + blob->substr(6)).status().ToString(),
            "INVALID_ARGUMENT: not an SSH signature (no SSHSIG magic)");
  EXPECT_EQ(ParseSshSig(blob->substr(0, blob->size() - 5)).status().ToString(),
            "INVALID_ARGUMENT: the SSH signature is truncated");
  EXPECT_EQ(ParseSshSig(*blob + "x").status().ToString(),
            "INVALID_ARGUMENT: the SSH signature has trailing bytes");
  std::string v2 = *blob;
  v2[9] = 2;
  EXPECT_EQ(ParseSshSig(v2).status().ToString(),
            "INVALID_ARGUMENT: SSH signature version 2 is not supported");
  EXPECT_EQ(DearmorSshSig("hello").status().ToString(),
            "INVALID_ARGUMENT: not an armored SSH signature (no BEGIN/END SSH SIGNATURE)");
}

TEST(SshSig, PublicKeyLinesAreChecked) {
  EXPECT_EQ(ParsePublicKeyLine("ssh-ed25519").status().ToString(),
            "INVALID_ARGUMENT: expected a key type and a base64 key");
  EXPECT_EQ(ParsePublicKeyLine("ssh-ed25519 ***").status().ToString(),
            "INVALID_ARGUMENT: the ssh-ed25519 key is not valid base64");
  const std::string ed_b64(kEdPub.substr(12, 68));
  EXPECT_EQ(ParsePublicKeyLine("ssh-rsa " + ed_b64).status().ToString(),
            "INVALID_ARGUMENT: the key says it is ssh-rsa but its blob holds a ssh-ed25519 key");
  // An ECDSA key: a clear refusal, not a parse error.
  EXPECT_EQ(ParsePublicKey(std::string("\0\0\0\x13", 4) + "ecdsa-sha2-nistp256").status().ToString(),
            "UNIMPLEMENTED: key type \"ecdsa-sha2-nistp256\" is not supported; use ssh-ed25519 "
            "or ssh-rsa keys");
}

TEST(SshSig, Base64RoundTrips) {
  for (std::string s : {"", "a", "ab", "abc", "abcd"}) {
    auto back = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_FALSE(Base64Decode("YWI").ok());
}

}  // namespace
}  // namespace strata::sign
