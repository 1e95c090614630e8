// Who may sign commits: the allowed-signers file in ssh-keygen's format (ssh-keygen(1),
// ALLOWED SIGNERS), and the list of revoked keys. Parsed from text the caller read; every error
// names FILE:LINE. Each line: principals (comma-separated, may be quoted), optional options
// (namespaces="...", valid-after="...", valid-before="..."; cert-authority is refused), the key
// type, the base64 key, an optional comment. Times are YYYYMMDD[HHMM[SS]][Z], read as UTC.
// Lines with keys of a type strata does not check (ECDSA, security keys) are skipped, so a file
// shared with git may hold them.
// Values only; thread-safe to read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sign/sshsig.h"
#include "engine/status.h"

namespace strata::sign {

struct AllowedSigner {
  std::string principals;               // as written, e.g. "alice@shop.example"
  std::vector<std::string> namespaces;  // patterns; empty: any namespace
  std::optional<int64_t> valid_after;   // Unix microseconds
  std::optional<int64_t> valid_before;
  PublicKey key;
  std::string where;  // "FILE:LINE"
};

struct AllowedSigners {
  std::vector<AllowedSigner> entries;
};

// InvalidArgument "FILE:LINE: what is wrong" for a line that cannot be read.
Result<AllowedSigners> ParseAllowedSigners(std::string_view text, const std::string& file);

// A revoked-keys file: one public key a line ("TYPE BASE64 [comment]", as `ssh-keygen -Y
// verify -r` reads a plain key list); blank lines and # comments skipped. InvalidArgument
// naming FILE:LINE.
Result<std::vector<PublicKey>> ParseRevokedKeys(std::string_view text, const std::string& file);

// YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, with an optional trailing Z, as Unix microseconds
// (UTC). InvalidArgument naming the text.
Result<int64_t> ParseSignerTime(std::string_view text);

// Whether `name` matches the comma-separated pattern list (`*` and `?` wildcards, `!` negates).
bool MatchPatternList(std::string_view name, const std::vector<std::string>& patterns);

}  // namespace strata::sign
