// A Signer for engine tests: an ed25519 key from a fixed seed, making SSHSIG blobs the way
// ssh-keygen -Y sign does (PROTOCOL.sshsig), without running a program. It counts what it was
// asked to sign, and can sign something else than asked (a forged signature).
#pragma once

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <string>
#include <vector>

#include "engine/sign/commit_signature.h"

namespace strata::testing {

inline void PutSshString(std::string* out, std::string_view s) {
  const auto n = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((n >> shift) & 0xff));
  out->append(s);
}

class TestSigner : public sign::Signer {
 public:
  explicit TestSigner(unsigned char seed_byte = 7) {
    unsigned char seed[32];
    for (int i = 0; i < 32; ++i) seed[i] = static_cast<unsigned char>(seed_byte + i);
    key_ = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed, sizeof seed);
    unsigned char pub[32];
    size_t n = sizeof pub;
    EVP_PKEY_get_raw_public_key(key_, pub, &n);
    PutSshString(&public_blob_, "ssh-ed25519");
    PutSshString(&public_blob_, std::string_view(reinterpret_cast<char*>(pub), n));
  }
  ~TestSigner() override { EVP_PKEY_free(key_); }

  Result<std::string> Sign(std::string_view message) override {
    messages.push_back(std::string(message));
    if (!refusal.ok()) return refusal;
    return Blob(forge ? std::string(message) + "x" : std::string(message), name_space);
  }

  // The SSHSIG blob over `message` in `ns`.
  std::string Blob(const std::string& message, const std::string& ns) const {
    unsigned char digest[SHA512_DIGEST_LENGTH];
    SHA512(reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest);
    std::string data = "SSHSIG";
    PutSshString(&data, ns);
    PutSshString(&data, "");
    PutSshString(&data, "sha512");
    PutSshString(&data, std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
    unsigned char sig[64];
    size_t sig_len = sizeof sig;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_);
    EVP_DigestSign(ctx, sig, &sig_len, reinterpret_cast<const unsigned char*>(data.data()),
                   data.size());
    EVP_MD_CTX_free(ctx);
    std::string inner;
    PutSshString(&inner, "ssh-ed25519");
    PutSshString(&inner, std::string_view(reinterpret_cast<char*>(sig), sig_len));
    std::string blob = "SSHSIG";
    blob += std::string("\0\0\0\1", 4);
    PutSshString(&blob, public_blob_);
    PutSshString(&blob, ns);
    PutSshString(&blob, "");
    PutSshString(&blob, "sha512");
    PutSshString(&blob, inner);
    return blob;
  }

  // The public key as an allowed-signers or .pub line would carry it.
  std::string PublicLine() const { return "ssh-ed25519 " + sign::Base64Encode(public_blob_); }

  std::vector<std::string> messages;  // what it was asked to sign, in order
  bool forge = false;                 // sign the message with an "x" appended instead
  std::string name_space = "strata";
  Status refusal;                     // returned instead of a signature when not Ok

 private:
  EVP_PKEY* key_ = nullptr;
  std::string public_blob_;
};

}  // namespace strata::testing
