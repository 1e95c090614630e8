// SSHSIG: the blob is
//   "SSHSIG" uint32(1) string(publickey) string(namespace) string(reserved)
//   string(hash_algorithm) string(signature)
// and what the key signs is
//   "SSHSIG" string(namespace) string(reserved) string(hash_algorithm) string(H(message))
// where string is a uint32 big-endian length and the bytes, and H the named hash.
#include "engine/sign/sshsig.h"

#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "engine/store/hash.h"

namespace strata::sign {
namespace {

constexpr std::string_view kMagic = "SSHSIG";
constexpr size_t kArmorWidth = 70;
constexpr std::string_view kArmorBegin = "-----BEGIN SSH SIGNATURE-----";
constexpr std::string_view kArmorEnd = "-----END SSH SIGNATURE-----";

// Reads SSH wire fields from a byte string.
class Wire {
 public:
  explicit Wire(std::string_view bytes) : rest_(bytes) {}
  bool U32(uint32_t* v) {
    if (rest_.size() < 4) return false;
    const auto* p = reinterpret_cast<const unsigned char*>(rest_.data());
    *v = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
    rest_.remove_prefix(4);
    return true;
  }
  bool String(std::string_view* s) {
    uint32_t n = 0;
    if (!U32(&n) || rest_.size() < n) return false;
    *s = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }
  bool Bytes(size_t n, std::string_view* s) {
    if (rest_.size() < n) return false;
    *s = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }
  bool empty() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

void PutString(std::string* out, std::string_view s) {
  const auto n = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((n >> shift) & 0xff));
  out->append(s);
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// An SSH mpint (big-endian, two's complement, positive here) as an OpenSSL number.
BIGNUM* MpintToBn(std::string_view m) {
  return BN_bin2bn(reinterpret_cast<const unsigned char*>(m.data()), static_cast<int>(m.size()),
                   nullptr);
}

Result<Pkey> OpenSslKey(const PublicKey& key) {
  Wire w(key.blob);
  std::string_view type;
  w.String(&type);
  if (key.type == "ssh-ed25519") {
    std::string_view pk;
    w.String(&pk);
    EVP_PKEY* p = EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(pk.data()), pk.size());
    if (p == nullptr) return Status::InvalidArgument("the ed25519 key is not usable");
    return Pkey(p);
  }
  std::string_view e, n;
  w.String(&e);
  w.String(&n);
  BIGNUM* bn_e = MpintToBn(e);
  BIGNUM* bn_n = MpintToBn(n);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY* p = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  if (bn_e && bn_n && bld && ctx && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) &&
      (params = OSSL_PARAM_BLD_to_param(bld)) != nullptr && EVP_PKEY_fromdata_init(ctx) > 0) {
    if (EVP_PKEY_fromdata(ctx, &p, EVP_PKEY_PUBLIC_KEY, params) <= 0) p = nullptr;
  }
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  EVP_PKEY_CTX_free(ctx);
  BN_free(bn_e);
  BN_free(bn_n);
  if (p == nullptr) return Status::InvalidArgument("the RSA key is not usable");
  return Pkey(p);
}

std::string Digest(const EVP_MD* md, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &n, md, nullptr);
  return std::string(reinterpret_cast<const char*>(out), n);
}

}  // namespace

std::string PublicKey::Kind() const {
  if (type == "ssh-ed25519") return "ED25519";
  if (type == "ssh-rsa") return "RSA";
  return type;
}

std::string PublicKey::Fingerprint() const {
  std::string b64 = Base64Encode(HashBytes(Sha256(blob)));
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  return "SHA256:" + b64;
}

Result<PublicKey> ParsePublicKey(std::string_view blob) {
  Wire w(blob);
  std::string_view type;
  if (!w.String(&type)) return Status::InvalidArgument("the public key is truncated");
  PublicKey key{std::string(blob), std::string(type)};
  if (type == "ssh-ed25519") {
    std::string_view pk;
    if (!w.String(&pk) || pk.size() != 32 || !w.empty()) {
      return Status::InvalidArgument("the ssh-ed25519 public key is malformed");
    }
    return key;
  }
  if (type == "ssh-rsa") {
    std::string_view e, n;
    if (!w.String(&e) || !w.String(&n) || e.empty() || n.empty() || !w.empty()) {
      return Status::InvalidArgument("the ssh-rsa public key is malformed");
    }
    return key;
  }
  return Status::Unimplemented(fmt::format(
      "key type \"{}\" is not supported; use ssh-ed25519 or ssh-rsa keys", Shown(type)));
}

Result<PublicKey> ParsePublicKeyLine(std::string_view line) {
  const size_t sp = line.find_first_of(" \t");
  if (sp == std::string_view::npos) {
    return Status::InvalidArgument("expected a key type and a base64 key");
  }
  const std::string_view type = line.substr(0, sp);
  std::string_view rest = line.substr(sp);
  rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
  const std::string_view b64 = rest.substr(0, rest.find_first_of(" \t"));
  auto blob = Base64Decode(b64);
  if (!blob.ok() || b64.empty()) {
    return Status::InvalidArgument(fmt::format("the {} key is not valid base64", type));
  }
  STRATA_ASSIGN_OR_RETURN(PublicKey key, ParsePublicKey(*blob));
  if (key.type != type) {
    return Status::InvalidArgument(
        fmt::format("the key says it is {} but its blob holds a {} key", type, key.type));
  }
  return key;
}

Result<SshSig> ParseSshSig(std::string_view blob) {
  Wire w(blob);
  std::string_view magic, key, ns, reserved, hash, sig;
  uint32_t version = 0;
  if (!w.Bytes(kMagic.size(), &magic) || magic != kMagic) {
    return Status::InvalidArgument("not an SSH signature (no SSHSIG magic)");
  }
  if (!w.U32(&version)) return Status::InvalidArgument("the SSH signature is truncated");
  if (version != 1) {
    return Status::InvalidArgument(fmt::format("SSH signature version {} is not supported", version));
  }
  if (!w.String(&key) || !w.String(&ns) || !w.String(&reserved) || !w.String(&hash) ||
      !w.String(&sig)) {
    return Status::InvalidArgument("the SSH signature is truncated");
  }
  if (!w.empty()) return Status::InvalidArgument("the SSH signature has trailing bytes");
  SshSig out;
  STRATA_ASSIGN_OR_RETURN(out.key, ParsePublicKey(key));
  out.name_space = std::string(ns);
  out.hash_algorithm = std::string(hash);
  Wire s(sig);
  std::string_view type, bytes;
  if (!s.String(&type) || !s.String(&bytes) || !s.empty()) {
    return Status::InvalidArgument("the signature inside the SSH signature is malformed");
  }
  out.signature_type = std::string(type);
  out.signature = std::string(bytes);
  return out;
}

std::string ArmorSshSig(std::string_view blob) {
  const std::string b64 = Base64Encode(blob);
  std::string out(kArmorBegin);
  out += '\n';
  for (size_t i = 0; i < b64.size(); i += kArmorWidth) {
    out.append(b64, i, kArmorWidth);
    out += '\n';
  }
  out += kArmorEnd;
  out += '\n';
  return out;
}

Result<std::string> DearmorSshSig(std::string_view text) {
  const size_t begin = text.find(kArmorBegin);
  const size_t end = text.find(kArmorEnd);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
    return Status::InvalidArgument("not an armored SSH signature (no BEGIN/END SSH SIGNATURE)");
  }
  std::string b64;
  for (char c : text.substr(begin + kArmorBegin.size(), end - begin - kArmorBegin.size())) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') b64.push_back(c);
  }
  auto blob = Base64Decode(b64);
  if (!blob.ok()) return Status::InvalidArgument("the armored SSH signature is not valid base64");
  return blob;
}

std::string Shown(std::string_view text) {
  constexpr size_t kMax = 64;
  std::string out;
  for (size_t i = 0; i < text.size() && i < kMax; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02X}", c);
    }
  }
  if (text.size() > kMax) out += "...";
  return out;
}

Status VerifySshSig(const SshSig& sig, std::string_view name_space, std::string_view message) {
  if (sig.name_space != name_space) {
    return Status::InvalidArgument(fmt::format(
        "the signature is for namespace \"{}\", not \"{}\"", Shown(sig.name_space), name_space));
  }
  const EVP_MD* hash = sig.hash_algorithm == "sha512"   ? EVP_sha512()
                       : sig.hash_algorithm == "sha256" ? EVP_sha256()
                                                        : nullptr;
  if (hash == nullptr) {
    return Status::InvalidArgument(
        fmt::format("unsupported hash algorithm \"{}\"", Shown(sig.hash_algorithm)));
  }
  const EVP_MD* sig_md = nullptr;  // the digest the signature algorithm itself applies
  if (sig.key.type == "ssh-ed25519" && sig.signature_type == "ssh-ed25519") {
    if (sig.signature.size() != 64) return Status::InvalidArgument("the signature does not match");
  } else if (sig.key.type == "ssh-rsa" && sig.signature_type == "rsa-sha2-256") {
    sig_md = EVP_sha256();
  } else if (sig.key.type == "ssh-rsa" && sig.signature_type == "rsa-sha2-512") {
    sig_md = EVP_sha512();
  } else {
    return Status::InvalidArgument(fmt::format("a {} signature does not fit a {} key",
                                               Shown(sig.signature_type), sig.key.type));
  }
  std::string signed_data(kMagic);
  PutString(&signed_data, sig.name_space);
  PutString(&signed_data, "");
  PutString(&signed_data, sig.hash_algorithm);
  PutString(&signed_data, Digest(hash, message));
  STRATA_ASSIGN_OR_RETURN(Pkey key, OpenSslKey(sig.key));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  int ok = EVP_DigestVerifyInit(ctx, nullptr, sig_md, nullptr, key.get());
  if (ok > 0) {
    ok = EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.signature.data()),
                          sig.signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_data.data()),
                          signed_data.size());
  }
  EVP_MD_CTX_free(ctx);
  if (ok != 1) return Status::InvalidArgument("the signature does not match");
  return Status::Ok();
}

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return Status::InvalidArgument("base64 length is not a multiple of 4");
  for (char c : text) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) {
      return Status::InvalidArgument("not base64");
    }
  }
  std::string out(3 * (text.size() / 4) + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return Status::InvalidArgument("not base64");
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') pad = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

}  // namespace strata::sign
