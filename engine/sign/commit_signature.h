// Commit signatures: where a signature sits in a commit's stored bytes, what is signed, the
// Signer the recorder asks for one, and the judgement of one commit's signature against the
// allowed signers and revoked keys. docs/signing.md has the design.
//
// The stored payload of a signed commit is U || F, where U is the commit serialized without its
// signature and F the encoding of field 15 (Signature) alone; protobuf reads the concatenation
// as one message. The signed message is the 64 lower-case hex digits of SHA-256(U), in the SSH
// signature namespace kSignatureNamespace. The chain hash covers all of U || F.
// Pure functions, thread-safe; a Signer is used from one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sign/allowed_signers.h"
#include "engine/sign/sshsig.h"
#include "engine/status.h"

namespace strata::sign {

inline constexpr std::string_view kSignatureNamespace = "strata";

// Makes an SSH signature: the binary SSHSIG blob over `message` in kSignatureNamespace.
// FailedPrecondition (or any error) with what to do when it cannot; nothing is recorded then.
class Signer {
 public:
  virtual ~Signer() = default;
  virtual Result<std::string> Sign(std::string_view message) = 0;
};

// A stored payload split at its signature.
struct SignedPayload {
  std::string_view unsigned_bytes;       // U: the whole payload when there is no signature
  std::optional<std::string_view> field;  // F, when the commit has a signature
};

// Splits at field 15. Corruption "the signature is not the last field of the commit" when
// field 15 is followed by another field or appears twice; Corruption when the bytes are not
// protobuf wire format.
Result<SignedPayload> SplitSignature(std::string_view payload);

// The message the author signs for unsigned bytes U: hex SHA-256(U).
std::string SignedMessage(std::string_view unsigned_bytes);

// F for an SSHSIG blob: what the recorder appends to U.
std::string SignatureField(std::string_view sshsig);

// Checks what a Signer returned before it is recorded: an SSHSIG blob in kSignatureNamespace.
// InvalidArgument naming what is wrong; Unimplemented for a key type strata does not check.
Status CheckSignatureBlob(std::string_view sshsig);

enum class SignatureStatus {
  kSigned,          // valid, by a key of the allowed signers, valid at the commit's time
  kUnsigned,
  kUnknownKey,      // valid signature by a key no allowed signer has (for this namespace)
  kRevoked,         // the key is in the revoked keys
  kNotValidAtTime,  // the key's allowed-signers line is not valid at the commit's time
  kBad,             // the signature does not match the commit, or cannot be read
};

// "signed", "unsigned", "unknown_key", "revoked", "not_valid_at_time", "bad" (for --json).
std::string_view StatusName(SignatureStatus s);

struct SignatureCheck {
  SignatureStatus status = SignatureStatus::kUnsigned;
  std::string principals;   // the allowed-signers line's principals (kSigned)
  std::string key_kind;     // "ED25519", "RSA" (whenever the signature names a key)
  std::string fingerprint;  // "SHA256:..."
  std::string detail;       // why, for every status but kSigned and kUnsigned
  std::string message;      // the signed message (hex SHA-256 of U)
  std::string sshsig;       // the binary SSHSIG blob, when there is one

  bool ok() const { return status == SignatureStatus::kSigned; }
  // One line for people: "signed by alice@shop.example (ED25519 SHA256:...)", "unsigned",
  // "unknown key ED25519 SHA256:...", "revoked key ...", "key not valid at the commit's time
  // (...)", "bad signature: ...".
  std::string Describe() const;
};

// Who may sign: the allowed signers (null: none configured) and the revoked keys.
struct Trust {
  const AllowedSigners* allowed = nullptr;
  const std::vector<PublicKey>* revoked = nullptr;
};

// Judges the signature of one stored commit whose time is `time_unix_micros`. The signature
// blob comes from the payload's last field (SplitSignature), never from a re-serialization.
SignatureCheck CheckCommitSignature(std::string_view payload, int64_t time_unix_micros,
                                    const Trust& trust);

}  // namespace strata::sign
