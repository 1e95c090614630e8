// Signing for the cli: the signer commits are recorded with (ssh-keygen -Y sign, with the key
// strata.yaml's signing.key or STRATA_SIGNING_KEY names), and the trust signatures are judged
// against (the allowed-signers and revoked-keys files). docs/signing.md.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "cli/context.h"
#include "engine/sign/commit_signature.h"

namespace strata::cli {

// The signer for new commits: ssh-keygen with the configured key; when no key is configured,
// null, or (signing.require: true) a signer that refuses with what to configure.
Result<std::shared_ptr<sign::Signer>> SignerFor(const Context& ctx);

// The allowed signers and revoked keys of the project, read once.
struct TrustFiles {
  std::optional<sign::AllowedSigners> allowed;
  std::vector<sign::PublicKey> revoked;
  sign::Trust trust() const { return {allowed ? &*allowed : nullptr, &revoked}; }
};

// Reads the files strata.yaml names. InvalidArgument naming FILE:LINE for a bad line; NotFound
// naming the file and the strata.yaml line when it is missing.
Result<TrustFiles> LoadTrust(const Context& ctx);

// A commit's signature for --json: status, principals, key, detail, the signed message and the
// armored signature (to check by hand with ssh-keygen -Y verify; docs/signing.md).
nlohmann::ordered_json SignatureJson(const sign::SignatureCheck& check);
// The colour a signature's line is painted in: green signed, red bad or revoked, else yellow.
Color SignatureColor(const sign::SignatureCheck& check);

}  // namespace strata::cli
