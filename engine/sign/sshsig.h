// SSH signatures (the SSHSIG format of OpenSSH's PROTOCOL.sshsig, what `ssh-keygen -Y sign`
// writes and `git` uses with gpg.format=ssh): parsing, armor, and checking one against a
// message, in process with OpenSSL. Keys: ssh-ed25519, and ssh-rsa with rsa-sha2-256 or
// rsa-sha2-512 signatures. Pure functions over bytes, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"

namespace strata::sign {

// An SSH public key as its wire blob (string type, then the key's own fields).
struct PublicKey {
  std::string blob;
  std::string type;  // "ssh-ed25519", "ssh-rsa"

  // "ED25519", "RSA": as ssh-keygen names the kind of key.
  std::string Kind() const;
  // "SHA256:" and the unpadded base64 of the blob's SHA-256, as ssh-keygen -l prints it.
  std::string Fingerprint() const;
  bool operator==(const PublicKey& o) const { return blob == o.blob; }
};

// Parses a key's blob. InvalidArgument naming what is wrong, Unimplemented for a key type this
// build does not check (only ssh-ed25519 and ssh-rsa).
Result<PublicKey> ParsePublicKey(std::string_view blob);
// "TYPE BASE64 [comment]", as in id_ed25519.pub. InvalidArgument naming what is wrong.
Result<PublicKey> ParsePublicKeyLine(std::string_view line);

// One SSHSIG blob, parsed.
struct SshSig {
  PublicKey key;
  std::string name_space;  // "strata"
  std::string hash_algorithm;  // "sha256" | "sha512"
  std::string signature_type;  // "ssh-ed25519", "rsa-sha2-256", "rsa-sha2-512"
  std::string signature;       // the raw signature bytes of that type
};

// Parses the binary blob (magic "SSHSIG", version 1). InvalidArgument naming what is wrong.
Result<SshSig> ParseSshSig(std::string_view blob);

// The armored form ("-----BEGIN SSH SIGNATURE-----", base64 lines of 70, "-----END ...").
std::string ArmorSshSig(std::string_view blob);
// The blob inside an armored signature. InvalidArgument when the text is not one.
Result<std::string> DearmorSshSig(std::string_view text);

// Ok when `sig` is a valid signature by sig.key over `message` in `name_space`.
// InvalidArgument naming the mismatch: another namespace, an unknown hash algorithm, a
// signature type that does not fit the key, or "the signature does not match".
Status VerifySshSig(const SshSig& sig, std::string_view name_space, std::string_view message);

// Text from a signature (a key type, a namespace) as it may appear in a message: printable ASCII
// kept, every other byte as \xNN, at most 64 bytes shown ("..." after them).
std::string Shown(std::string_view text);

// Standard base64 (with padding) and its inverse; nullopt-like InvalidArgument for bad input.
std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace strata::sign
