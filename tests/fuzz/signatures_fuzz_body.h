// The check every fuzz input of the signature readers goes through (signatures_fuzz.cc and the
// seed replay, fuzz_seeds_test.cc): the bytes another writer's commit carries, and the files a
// project keeps about who may sign (engine/sign/). The first byte (mod 5) picks what the rest is:
//   0  an SSHSIG blob: ParseSshSig gives a signature or InvalidArgument / Unimplemented; a parsed
//      one verifies or fails with InvalidArgument; CheckSignatureBlob accepts only what parses in
//      the "strata" namespace; armoring any bytes and reading them back gives them unchanged;
//      no message carries a byte of the blob that is not printable ASCII (they reach terminals);
//   1  an armored signature or base64 text: DearmorSshSig and Base64Decode give bytes or
//      InvalidArgument, and what they give survives Armor / Encode and back;
//   2  an allowed-signers file: ParseAllowedSigners gives entries, each placed at
//      "allowed_signers:LINE", or InvalidArgument "allowed_signers:LINE: ..." (Unimplemented,
//      placed the same way, for what strata refuses to check: cert-authority lines);
//   3  a revoked-keys file: the same contract for ParseRevokedKeys;
//   4  a stored commit payload: SplitSignature gives U and F or Corruption; CheckCommitSignature
//      judges it against FuzzTrust() without a crash, and "signed" only for a payload that
//      splits, whose blob parses and verifies over SignedMessage(U); its words are printable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/sign/allowed_signers.h"
#include "engine/sign/commit_signature.h"
#include "engine/sign/sshsig.h"
#include "tests/fuzz/placed_error.h"

namespace strata::fuzz {

// The allowed signers the commit payloads are judged against: the two keys that signed the
// seeds (an ed25519 and an RSA key made for them, their private halves not kept).
inline const sign::AllowedSigners& FuzzAllowedSigners() {
  static const sign::AllowedSigners signers = [] {
    const std::string text =
        "fuzz@strata.example "
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbcJxl4pTvYrToPSR7z7HRCaZ/szqXOTZw5uIaFOcWg" "\n"
        "fuzz@strata.example "
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC47O9TMOefY1+iD5MxoH0C0A061YcKpdLU/KtClbcE"
    "AgD50m6RyDxy+XLOCglYRxrtTcgmJgIOPYtlWD90wGNNf/nVdaOJYfRqVsLXWtjQsChZW25WqIVpwNRc"
    "lJjPHygbKWxitQholKylNmBVKAFr8bVCM3M7D+B5lDWX0qVtLWDk8+GpCvfhUJ2l4GJJ3Z7asUCsjxAz"
    "985I9+l8X2KqDr9QJ+tDcI0O4raeq7vGdYL4HJHgmnEPt9UR9usYQ0fX8Bbl4YjCUjhGjWXPVu0SzrGh"
    "qqpcHk28fhP/m3xcUYAeyBgzlDq/pT2qAocAPIzWJq5dXFHwfWt6q8cAGe5H" "\n";
    auto parsed = sign::ParseAllowedSigners(text, "fuzz_allowed_signers");
    return parsed.ok() ? *parsed : sign::AllowedSigners{};
  }();
  return signers;
}

inline sign::Trust FuzzTrust() { return {&FuzzAllowedSigners(), nullptr}; }

// 2026-06-01, within every validity window of the seeds.
inline constexpr int64_t kFuzzCommitTime = 1780272000LL * 1000000;

// "" when `text` is printable ASCII, else what the first other byte is.
inline std::string UnprintableViolation(std::string_view what, std::string_view text) {
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f) return std::string(what) + " holds byte " + std::to_string(c);
  }
  return "";
}

// PlacedErrorViolation, with Unimplemented placed as InvalidArgument must be.
inline std::string PlacedOrUnimplemented(const Status& status, std::string_view file) {
  if (status.code() == Code::kUnimplemented) {
    return PlacedErrorViolation(Status::InvalidArgument(status.message()), file);
  }
  return PlacedErrorViolation(status, file);
}

inline std::string SignaturesViolation(std::string_view input) {
  if (input.empty()) return "";
  const int mode = static_cast<unsigned char>(input[0]) % 5;
  const std::string_view data = input.substr(1);
  if (mode == 0) {
    auto sig = sign::ParseSshSig(data);
    if (!sig.ok() && sig.status().code() != Code::kInvalidArgument &&
        sig.status().code() != Code::kUnimplemented) {
      return "ParseSshSig: " + sig.status().ToString();
    }
    if (!sig.ok()) {
      if (auto v = UnprintableViolation("ParseSshSig's message", sig.status().message());
          !v.empty()) {
        return v;
      }
    } else {
      if (!sig->key.Fingerprint().starts_with("SHA256:")) return "a fingerprint without SHA256:";
      const Status v = sign::VerifySshSig(*sig, "strata", "message");
      if (!v.ok() && v.code() != Code::kInvalidArgument) return "VerifySshSig: " + v.ToString();
      if (auto p = UnprintableViolation("VerifySshSig's message", v.message()); !p.empty()) {
        return p;
      }
    }
    const Status blob = sign::CheckSignatureBlob(data);
    if (!blob.ok() && blob.code() != Code::kInvalidArgument &&
        blob.code() != Code::kUnimplemented) {
      return "CheckSignatureBlob: " + blob.ToString();
    }
    if (blob.ok() && (!sig.ok() || sig->name_space != sign::kSignatureNamespace)) {
      return "CheckSignatureBlob accepted a blob that is not a strata signature";
    }
    auto back = sign::DearmorSshSig(sign::ArmorSshSig(data));
    if (!back.ok() || *back != data) return "armored bytes did not read back unchanged";
    return "";
  }
  if (mode == 1) {
    auto blob = sign::DearmorSshSig(data);
    if (!blob.ok() && blob.status().code() != Code::kInvalidArgument) {
      return "DearmorSshSig: " + blob.status().ToString();
    }
    if (blob.ok()) {
      auto again = sign::DearmorSshSig(sign::ArmorSshSig(*blob));
      if (!again.ok() || *again != *blob) return "a dearmored blob did not survive armor";
    }
    auto bytes = sign::Base64Decode(data);
    if (!bytes.ok() && bytes.status().code() != Code::kInvalidArgument) {
      return "Base64Decode: " + bytes.status().ToString();
    }
    if (bytes.ok()) {
      auto again = sign::Base64Decode(sign::Base64Encode(*bytes));
      if (!again.ok() || *again != *bytes) return "decoded base64 did not survive encoding";
    }
    return "";
  }
  if (mode == 2) {
    auto signers = sign::ParseAllowedSigners(data, "allowed_signers");
    if (!signers.ok()) return PlacedOrUnimplemented(signers.status(), "allowed_signers");
    for (const sign::AllowedSigner& s : signers->entries) {
      if (!s.where.starts_with("allowed_signers:")) return "an entry placed at " + s.where;
      if (s.key.blob.empty()) return "an entry without a key at " + s.where;
    }
    return "";
  }
  if (mode == 3) {
    auto keys = sign::ParseRevokedKeys(data, "revoked_keys");
    if (!keys.ok()) return PlacedOrUnimplemented(keys.status(), "revoked_keys");
    return "";
  }
  auto split = sign::SplitSignature(data);
  if (!split.ok() && split.status().code() != Code::kCorruption) {
    return "SplitSignature: " + split.status().ToString();
  }
  if (split.ok() && split->unsigned_bytes.size() + (split->field ? split->field->size() : 0) !=
                        data.size()) {
    return "U and F do not make up the payload";
  }
  const sign::SignatureCheck check = sign::CheckCommitSignature(data, kFuzzCommitTime, FuzzTrust());
  if (check.status == sign::SignatureStatus::kUnsigned && (!split.ok() || split->field)) {
    return "unsigned for a payload that does not split, or carries field 15";
  }
  if (check.ok()) {
    if (!split.ok() || !split->field) return "signed without a signature field";
    auto sig = sign::ParseSshSig(check.sshsig);
    if (!sig.ok()) return "signed with a blob that does not parse";
    if (!sign::VerifySshSig(*sig, sign::kSignatureNamespace,
                            sign::SignedMessage(split->unsigned_bytes))
             .ok()) {
      return "signed, but the blob does not verify over U";
    }
  }
  if (check.Describe().empty()) return "a judgement without words";
  return UnprintableViolation("the judgement", check.Describe());
}

}  // namespace strata::fuzz
