#include "engine/sign/commit_signature.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <climits>

#include "engine/refs/refs.h"
#include "engine/store/commit_store.h"
#include "engine/store/hash.h"
#include "proto/commit.pb.h"

namespace strata::sign {
namespace {

using google::protobuf::internal::WireFormatLite;

constexpr int kSignatureField = 15;

SignatureCheck Bad(SignatureCheck c, std::string detail) {
  c.status = SignatureStatus::kBad;
  c.detail = std::move(detail);
  return c;
}

// Judges the key of a signature that verified: revoked, then the allowed signers.
void JudgeKey(const PublicKey& key, int64_t time, const Trust& trust, SignatureCheck* c) {
  if (trust.revoked != nullptr) {
    for (const PublicKey& r : *trust.revoked) {
      if (r == key) {
        c->status = SignatureStatus::kRevoked;
        c->detail = "the key is in the revoked keys";
        return;
      }
    }
  }
  if (trust.allowed == nullptr) {
    c->status = SignatureStatus::kUnknownKey;
    c->detail = "no allowed-signers file is configured (signing.allowed_signers in strata.yaml)";
    return;
  }
  const AllowedSigner* out_of_time = nullptr;
  for (const AllowedSigner& e : trust.allowed->entries) {
    if (!(e.key == key)) continue;
    if (!e.namespaces.empty() &&
        !MatchPatternList(kSignatureNamespace, e.namespaces)) {
      continue;
    }
    const bool early = e.valid_after && time < *e.valid_after;
    const bool late = e.valid_before && time > *e.valid_before;
    if (early || late) {
      if (out_of_time == nullptr) out_of_time = &e;
      continue;
    }
    c->status = SignatureStatus::kSigned;
    c->principals = e.principals;
    return;
  }
  if (out_of_time != nullptr) {
    const AllowedSigner& e = *out_of_time;
    c->status = SignatureStatus::kNotValidAtTime;
    const bool early = e.valid_after && time < *e.valid_after;
    c->detail = fmt::format("{} ({}): the commit is from {}, the key is valid {} {}", e.principals,
                            e.where, FormatTime(time), early ? "from" : "until",
                            FormatTime(early ? *e.valid_after : *e.valid_before));
    return;
  }
  c->status = SignatureStatus::kUnknownKey;
  c->detail = "no allowed signer has this key";
}

}  // namespace

Result<SignedPayload> SplitSignature(std::string_view payload) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(payload.data()),
                                            static_cast<int>(payload.size()));
  in.SetTotalBytesLimit(INT_MAX);
  std::optional<size_t> signature_at;
  for (;;) {
    const size_t start = static_cast<size_t>(in.CurrentPosition());
    const uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    if (signature_at) {
      return Status::Corruption("the signature is not the last field of the commit");
    }
    if (WireFormatLite::GetTagFieldNumber(tag) == kSignatureField) {
      if (WireFormatLite::GetTagWireType(tag) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
        return Status::Corruption("the signature field has the wrong wire type");
      }
      signature_at = start;
    }
    if (!WireFormatLite::SkipField(&in, tag)) {
      return Status::Corruption("the commit's bytes are not a protobuf message");
    }
  }
  if (static_cast<size_t>(in.CurrentPosition()) != payload.size()) {
    return Status::Corruption("the commit's bytes are not a protobuf message");
  }
  if (!signature_at) return SignedPayload{payload, std::nullopt};
  return SignedPayload{payload.substr(0, *signature_at), payload.substr(*signature_at)};
}

std::string SignedMessage(std::string_view unsigned_bytes) {
  return HashHex(Sha256(unsigned_bytes));
}

std::string SignatureField(std::string_view sshsig) {
  pb::Commit only;
  only.mutable_signature()->set_sshsig(std::string(sshsig));
  std::string out;
  (void)SerializeCommit(only, &out);  // one bytes field: cannot fail
  return out;
}

Status CheckSignatureBlob(std::string_view sshsig) {
  STRATA_ASSIGN_OR_RETURN(SshSig sig, ParseSshSig(sshsig));
  if (sig.name_space != kSignatureNamespace) {
    return Status::InvalidArgument(fmt::format(
        "the signature is for namespace \"{}\", not \"{}\"", Shown(sig.name_space),
        kSignatureNamespace));
  }
  return Status::Ok();
}

std::string_view StatusName(SignatureStatus s) {
  switch (s) {
    case SignatureStatus::kSigned: return "signed";
    case SignatureStatus::kUnsigned: return "unsigned";
    case SignatureStatus::kUnknownKey: return "unknown_key";
    case SignatureStatus::kRevoked: return "revoked";
    case SignatureStatus::kNotValidAtTime: return "not_valid_at_time";
    case SignatureStatus::kBad: return "bad";
  }
  return "bad";
}

std::string SignatureCheck::Describe() const {
  const std::string key = fmt::format("{} {}", key_kind, fingerprint);
  switch (status) {
    case SignatureStatus::kSigned: return fmt::format("signed by {} ({})", principals, key);
    case SignatureStatus::kUnsigned: return "unsigned";
    case SignatureStatus::kUnknownKey: return fmt::format("unknown key {}: {}", key, detail);
    case SignatureStatus::kRevoked: return fmt::format("revoked key {}", key);
    case SignatureStatus::kNotValidAtTime:
      return fmt::format("key not valid at the commit's time ({}): {}", key, detail);
    case SignatureStatus::kBad: return "bad signature: " + detail;
  }
  return detail;
}

SignatureCheck CheckCommitSignature(std::string_view payload, int64_t time_unix_micros,
                                    const Trust& trust) {
  SignatureCheck c;
  auto split = SplitSignature(payload);
  if (!split.ok()) return Bad(std::move(c), std::string(split.status().message()));
  c.message = SignedMessage(split->unsigned_bytes);
  if (!split->field) return c;  // unsigned
  pb::Commit only;
  if (!only.ParseFromArray(split->field->data(), static_cast<int>(split->field->size()))) {
    return Bad(std::move(c), "the signature field cannot be read");
  }
  c.sshsig = only.signature().sshsig();
  auto sig = ParseSshSig(c.sshsig);
  if (!sig.ok()) return Bad(std::move(c), std::string(sig.status().message()));
  c.key_kind = sig->key.Kind();
  c.fingerprint = sig->key.Fingerprint();
  Status verified = VerifySshSig(*sig, kSignatureNamespace, c.message);
  if (!verified.ok()) {
    return Bad(std::move(c), fmt::format("{} ({} {})", verified.message(), c.key_kind,
                                         c.fingerprint));
  }
  JudgeKey(sig->key, time_unix_micros, trust, &c);
  return c;
}

}  // namespace strata::sign
